// systemd cannot run on the test hosts (PID 1 is not systemd): a recording `systemctl` on PATH stands in for it,
// to check which units and verbs the appliance's controller uses and how a failure is reported.
import test from 'ava';
import { mkdtemp, readFile, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SystemdController, defaultUnit, ServiceControlError } from '../../../services/apply/index.js';

const bin = await mkdtemp(path.join(tmpdir(), 'exlb-fake-systemctl-'));
const log = path.join(bin, 'calls.log');
// Records its arguments; `is-active` answers "active" only for haproxy; `reload keepalived.service` fails.
await writeFile(path.join(bin, 'systemctl'), `#!/bin/sh
echo "$*" >> '${log}'
case "$*" in
  "is-active --quiet haproxy.service") exit 0 ;;
  is-active*) exit 3 ;;
  "reload keepalived.service") echo "Job for keepalived.service failed." >&2; exit 1 ;;
esac
exit 0
`);
await chmod(path.join(bin, 'systemctl'), 0o755);
process.env.PATH = `${bin}:${process.env.PATH}`;

test.serial('units: Debian\'s haproxy and keepalived, one stunnel@ instance per offloaded service', (t) => {
	t.is(defaultUnit('haproxy'), 'haproxy.service');
	t.is(defaultUnit('keepalived'), 'keepalived.service');
	t.is(defaultUnit('stunnel-https'), 'stunnel@exlb-https.service');
	t.is(defaultUnit('stunnel-smtps'), 'stunnel@exlb-smtps.service');
});

test.serial('verbs go to systemctl with the unit; is-active decides isRunning; a failure names unit, status and output', async (t) => {
	const controller = new SystemdController();
	await controller.start('stunnel-imaps');
	await controller.reload('haproxy');
	await controller.stop('stunnel-pop3s');
	t.true(await controller.isRunning('haproxy'));
	t.false(await controller.isRunning('keepalived'));
	const error = await t.throwsAsync(controller.reload('keepalived'), { instanceOf: ServiceControlError });
	t.regex(error!.message, /^could not reload keepalived: systemctl reload keepalived\.service exited with 1: Job for keepalived\.service failed\./);
	t.deepEqual((await readFile(log, 'utf8')).trim().split('\n'), [
		'start stunnel@exlb-imaps.service',
		'reload haproxy.service',
		'stop stunnel@exlb-pop3s.service',
		'is-active --quiet haproxy.service',
		'is-active --quiet keepalived.service',
		'reload keepalived.service',
	]);
});
