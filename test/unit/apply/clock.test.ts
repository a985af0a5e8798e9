// The clock settings apply() puts in force on the appliance: the timesyncd drop-in (timesyncd restarted only when
// it changed, removed when no server is configured) and the time zone link; bad zones are refused by the model.
import { mkdtemp, readFile, readlink, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { applyClock } from '../../../services/apply/clock.js';
import { defaultConfig } from '../../../services/config/schema.js';
import { validateConfig } from '../../../services/config/validate.js';

test('NTP servers and the time zone are written once, timesyncd restarted only on a change, the drop-in removed with no server', async (t) => {
	const dir = await mkdtemp(path.join(tmpdir(), 'exlb-clock-'));
	let restarts = 0;
	const target = { timesyncdFile: path.join(dir, 'exlb.conf'), localtimeLink: path.join(dir, 'localtime'), restartTimesyncd: async () => void restarts++ };
	const system = { ...defaultConfig().system, timezone: 'Europe/Paris', ntpServers: ['10.0.0.1', 'ntp.xlc.local'] };
	t.true(await applyClock(system, target));
	t.regex(await readFile(target.timesyncdFile, 'utf8'), /^\[Time\]\nNTP=10\.0\.0\.1 ntp\.xlc\.local$/m);
	t.is(await readlink(target.localtimeLink), '/usr/share/zoneinfo/Europe/Paris');
	t.is(restarts, 1);
	t.false(await applyClock(system, target), 'the same settings again change nothing');
	t.is(restarts, 1);
	t.true(await applyClock({ ...system, ntpServers: [] }, target));
	await t.throwsAsync(access(target.timesyncdFile), undefined, 'no server: Debian\'s pool, no drop-in');
	t.is(restarts, 2);
});

test('a time zone that does not exist, or would leave the zone directory, is refused naming the field', (t) => {
	for (const timezone of ['Europe/Nowhere', '../../etc/shadow', 'Europe/Paris\n']) {
		const result = validateConfig({ ...defaultConfig(), system: { ...defaultConfig().system, timezone } });
		t.false(result.ok, timezone);
		if (!result.ok) t.deepEqual(result.errors.map((error) => error.path), ['system.timezone']);
	}
	t.true(validateConfig({ ...defaultConfig(), system: { ...defaultConfig().system, timezone: 'UTC' } }).ok);
});
