// The image's engine wiring (image/overlay) against the names the engine really uses: the units SystemdController
// starts, the files apply() writes, the sockets and pid files the renderer puts into the configs.
import test from 'ava';
import { readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultUnit } from '../../services/apply/systemd-controller.js';
import { daemonConfigPath } from '../../services/apply/render-dir.js';
import { stunnelServices } from '../../services/render/daemons.js';
import { applianceRenderEnv } from '../../services/render/env.js';
import { appliancePaths } from '../../services/paths.js';
import { loadRecipe } from '../../image/pipeline/recipe.js';

const overlay = fileURLToPath(new URL('../../image/overlay/', import.meta.url));
const repo = fileURLToPath(new URL('../../', import.meta.url));
const paths = appliancePaths('/');
const env = applianceRenderEnv(paths);

/** KEY=VALUE lines of an /etc/default file, quotes removed. */
async function defaults(file: string): Promise<Record<string, string>> {
	const text = await readFile(path.join(overlay, 'etc/default', file), 'utf8');
	return Object.fromEntries([...text.matchAll(/^([A-Z_]+)=(.*)$/gm)].map((match) => [match[1]!, match[2]!.replace(/^"(.*)"$/, '$1')]));
}

test('haproxy.service reads the render dir and opens the master socket the engine renders for', async (t) => {
	const values = await defaults('haproxy');
	t.is(values.CONFIG, path.join(paths.renderDir, 'haproxy.cfg'));
	t.is(values.EXTRAOPTS, `-S ${env.haproxyMasterSocket}`);
	// Debian's unit passes -p /run/haproxy.pid: keepalived's track script reads the same file.
	t.is(env.haproxyPidFile, '/run/haproxy.pid');
	t.is(defaultUnit('haproxy'), 'haproxy.service');
	const dropIn = await readFile(path.join(overlay, 'usr/lib/systemd/system/haproxy.service.d/exlb.conf'), 'utf8');
	t.regex(dropIn, new RegExp(`^ConditionPathExists=${values.CONFIG}$`, 'm'));
	t.regex(dropIn, /^LimitNOFILE=\d{5,}$/m);
});

test('haproxy\'s sockets and server-state file live on the /run tmpfs beside the render dir', (t) => {
	const run = path.dirname(paths.renderDir);
	t.is(run, '/run/exlb');
	for (const file of [env.haproxyStatsSocket, env.haproxyUserSocket, env.haproxyMasterSocket, env.haproxyStateFile]) t.is(path.dirname(file), run, file);
	// A reboot starts from the saved configuration's serverStates only: no state file of an earlier boot.
	t.is(env.haproxyStateFile, '/run/exlb/haproxy-server-state');
});

test('the status socket is given to the web server\'s group exactly when the image creates that group', async (t) => {
	// haproxy refuses `group <name>` for a group /etc/group does not have: the name may only be rendered once the image
	// creates it (the build's scripts, a sysusers.d file or the recipe), and then must be.
	const sources = [
		...(await readdir(path.join(repo, 'image/rootfs'))).map((name) => path.join(repo, 'image/rootfs', name)),
		path.join(repo, 'image/recipe.json'),
		...(await readdir(path.join(overlay, 'usr/lib/sysusers.d')).catch(() => [])).map((name) => path.join(overlay, 'usr/lib/sysusers.d', name)),
	];
	const texts = await Promise.all(sources.map((file) => readFile(file, 'utf8')));
	const created = texts.some((text) => /\bexlb-web\b/.test(text));
	t.is(env.haproxyUserSocketGroup, created ? 'exlb-web' : null, created ? 'the image creates exlb-web: set webServerGroup in services/render/env.ts' : 'the image does not create the group yet');
});

test('keepalived.service reads the rendered keepalived.conf', async (t) => {
	t.is((await defaults('keepalived')).DAEMON_ARGS, `-f ${path.join(paths.renderDir, 'keepalived.conf')}`);
	t.is(defaultUnit('keepalived'), 'keepalived.service');
	const dropIn = await readFile(path.join(overlay, 'usr/lib/systemd/system/keepalived.service.d/exlb.conf'), 'utf8');
	t.regex(dropIn, new RegExp(`^ConditionFileNotEmpty=${path.join(paths.renderDir, 'keepalived.conf')}$`, 'm'));
});

test('each stunnel@exlb-<service> instance reads the stable copy apply() refreshes', async (t) => {
	for (const service of stunnelServices) {
		const unit = defaultUnit(`stunnel-${service}`);
		const instance = /^stunnel@(.+)\.service$/.exec(unit)?.[1];
		t.is(instance, `exlb-${service}`);
		// Debian's stunnel@.service runs `stunnel4 /etc/stunnel/%i.conf`.
		t.is(await readlink(path.join(overlay, 'etc/stunnel', `${instance}.conf`)), daemonConfigPath(paths.renderDir, `stunnel-${service}`));
	}
	t.regex(await readFile(path.join(overlay, 'usr/lib/systemd/system/stunnel@.service.d/exlb.conf'), 'utf8'), /^ExecReload=\/bin\/kill -HUP \$MAINPID$/m);
});

test('the recipe enables exlb-apply.service, masks the stunnel4 init script and installs pgrep (procps)', async (t) => {
	const recipe = await loadRecipe();
	t.true(recipe.units.includes('exlb-apply.service'));
	t.true(recipe.maskedUnits.includes('stunnel4.service'));
	t.true(recipe.packages.includes('procps'));
	const unit = await readFile(path.join(overlay, 'usr/lib/systemd/system/exlb-apply.service'), 'utf8');
	t.regex(unit, /^ExecStart=\/usr\/bin\/node \/usr\/lib\/exlb\/exlb-boot\.mjs$/m);
	t.notRegex(unit, /^Before=.*(haproxy|stunnel|keepalived)/m, 'it starts them itself: ordering them after it would deadlock');
});

test('the journal that receives haproxy\'s traffic logs (env.logTarget) stays in memory, bounded and rate-limited', async (t) => {
	t.is(env.logTarget, '/dev/log', 'haproxy logs to journald\'s syslog socket');
	const conf = await readFile(path.join(overlay, 'usr/lib/systemd/journald.conf.d/zz-exlb.conf'), 'utf8');
	t.regex(conf, /^Storage=volatile$/m, 'nothing written to the small data partition');
	t.regex(conf, /^ForwardToSyslog=no$/m, 'no copy of each line to a syslog socket nothing reads');
	const others = await readdir(path.join(overlay, 'usr/lib/systemd/journald.conf.d'));
	t.deepEqual(others, ['zz-exlb.conf'], 'sorts after Debian\'s syslog.conf, which sets ForwardToSyslog=yes');
	t.regex(conf, /^RuntimeMaxUse=\d+M$/m);
	t.regex(conf, /^RuntimeMaxFileSize=\d+M$/m);
	t.regex(conf, /^RateLimitIntervalSec=\d+s$/m);
	t.regex(conf, /^RateLimitBurst=\d+$/m);
});

test('the engine\'s peer check has its kernel module: the recipe keeps unix_diag and the image loads it at boot', async (t) => {
	const recipe = await loadRecipe();
	t.true(recipe.kernelModules.includes('unix_diag'), 'kept when the other modules are trimmed');
	const loaded = (await readFile(path.join(overlay, 'usr/lib/modules-load.d/exlb.conf'), 'utf8')).split('\n').filter((line) => line !== '' && !line.startsWith('#'));
	t.deepEqual(loaded, ['unix_diag']);
});
