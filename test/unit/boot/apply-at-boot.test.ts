// exlb-apply.service's program (services/boot) against the real haproxy/stunnel checks in a temp EXLB_ROOT. systemd does
// not run on a build host, so the daemons' units are a recording controller; the QEMU test runs the real units.
import test from 'ava';
import { access, mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { applyAtBoot, describeBootApply } from '../../../services/boot/apply-at-boot.js';
import { withApplyLock } from '../../../services/apply/apply.js';
import { ApplyLockBusyError } from '../../../services/apply/lock.js';
import { defaultConfig } from '../../../services/config/schema.js';
import { writeRunningConfig } from '../../../services/config/store.js';
import { makeContext } from '../../../services/cli/context.js';
import type { ServiceController, Daemon } from '../../../services/apply/controller.js';
import { ConfigValidationError } from '../../../services/config/validate.js';

class RecordingController implements ServiceController {
	readonly calls: string[] = [];
	readonly running = new Set<Daemon>();
	async start(service: Daemon): Promise<void> {
		this.calls.push(`start ${service}`);
		this.running.add(service);
	}
	async reload(service: Daemon): Promise<void> {
		this.calls.push(`reload ${service}`);
	}
	async stop(service: Daemon): Promise<void> {
		this.calls.push(`stop ${service}`);
		this.running.delete(service);
	}
	async isRunning(service: Daemon): Promise<boolean> {
		return this.running.has(service);
	}
}

async function appliance(saved?: unknown) {
	const root = await mkdtemp(path.join(tmpdir(), 'exlb-boot-'));
	const context = makeContext({ out: () => {}, err: () => {} }, { EXLB_ROOT: root, EXLB_INTERFACE: 'eth0' });
	if (saved !== undefined) {
		await mkdir(path.dirname(context.paths.savedConfig), { recursive: true });
		await writeFile(context.paths.savedConfig, typeof saved === 'string' ? saved : JSON.stringify(saved));
	}
	return { root, context, controller: new RecordingController() };
}

const exists = (file: string) => access(file).then(() => true, () => false);

test('saved ssl-offload configuration: haproxy then stunnel-https started, certificate generated for the host name, network and running config left to the console agent', async (t) => {
	const { context, controller } = await appliance({ network: { source: 'dhcp' }, http: { mode: 'ssl-offload', hostName: 'mail.exlb.test' } });
	const result = await applyAtBoot(context.environment, controller);
	t.is(result.source, 'saved');
	t.deepEqual(controller.calls, ['start haproxy', 'start stunnel-https']);
	t.is(describeBootApply(result), 'exlb: load balancer applied from the saved configuration: started haproxy, stunnel-https');
	// What the units read: /run/exlb/rendered/haproxy.cfg and the stable copy /run/exlb/stunnel-https.conf.
	const haproxy = await readFile(path.join(context.paths.renderDir, 'haproxy.cfg'), 'utf8');
	t.regex(haproxy, /^\s+bind :80$/m);
	const stunnel = await readFile(path.join(path.dirname(context.paths.renderDir), 'stunnel-https.conf'), 'utf8');
	t.regex(stunnel, /^accept = 443$/m);
	const certificate = path.join(context.paths.certDir, 'self-signed.pem');
	t.true(stunnel.includes(`cert = ${certificate}`));
	const subject = await execa('openssl', ['x509', '-noout', '-subject', '-in', certificate]);
	t.regex(subject.stdout, /CN ?= ?mail\.exlb\.test/);
	t.false(await exists(context.paths.runningConfig), 'the console agent reads an existing running config as "network already set up"');
	t.deepEqual(await readdir(context.paths.networkdDir).catch(() => []), []);
});

test('factory settings (nothing saved): haproxy alone (ssl-forward needs no stunnel), no certificate generated', async (t) => {
	const { context, controller } = await appliance();
	const result = await applyAtBoot(context.environment, controller);
	t.is(result.source, 'factory');
	t.deepEqual(controller.calls, ['start haproxy']);
	t.regex(result.warnings.map((warning) => warning.path).join(' '), /casServers/);
	t.false(await exists(path.join(context.paths.certDir, 'self-signed.pem')));
	t.false(await exists(context.paths.runningConfig));
});

test('a refused saved configuration starts nothing and names the field', async (t) => {
	const { context, controller } = await appliance({ http: { mode: 'ssl-offload', casHttpPort: 70000 } });
	const error = await t.throwsAsync(applyAtBoot(context.environment, controller), { instanceOf: ConfigValidationError });
	t.regex(error!.message, /http\.casHttpPort: 70000/);
	t.deepEqual(controller.calls, []);
	t.false(await exists(path.join(context.paths.renderDir, 'haproxy.cfg')));
});

test('at first boot the console\'s network change holds the apply lock: the boot waits for it, then starts the daemons on what the console left running', async (t) => {
	const { context, controller } = await appliance();
	let released = false;
	const startedAfterRelease: boolean[] = [];
	const start = controller.start.bind(controller);
	controller.start = async (service) => {
		startedAfterRelease.push(released);
		await start(service);
	};
	let booting: ReturnType<typeof applyAtBoot> | undefined;
	await withApplyLock(context.paths, async () => {
		await t.throwsAsync(applyAtBoot(context.environment, controller, 0), { instanceOf: ApplyLockBusyError }, 'a boot that does not wait is refused');
		booting = applyAtBoot(context.environment, controller, 30_000);
		// What the console's network apply records while it holds the lock.
		const running = defaultConfig();
		running.network.source = 'static';
		running.network.address = '10.0.2.60';
		running.network.netmask = '255.255.255.0';
		running.http.mode = 'ssl-offload';
		await writeRunningConfig(running, context.paths);
	});
	released = true;
	const result = await booting!;
	t.is(result.source, 'running', 'the configuration the console recorded');
	t.deepEqual(controller.calls, ['start haproxy', 'start stunnel-https']);
	t.deepEqual(startedAfterRelease, [true, true], 'nothing started while the console held the lock');
});
