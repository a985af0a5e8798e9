// High availability: two balancers (lb master, lb2 backup) with the engine's keepalived on one private
// segment. The VIP lives on the master; when the master's haproxy dies the backup takes the VIP and serves,
// and the master takes it back once its haproxy has run again for its preempt delay (higher priority).
import test from 'ava';
import { startSite, type Site } from './harness/site.js';
import { siteConfig, type EngineUnderTest } from './harness/engine.js';
import { httpRequest } from './harness/clients.js';
import { serverStatus } from './harness/haproxy-stats.js';
import { waitFor } from '../../services/apply/wait.js';
import { SUBNET_PREFIX } from './harness/netns.js';

let site: Site;
const CAS = ['cas1', 'cas2'] as const;
const VIP = `${SUBNET_PREFIX}.50`;

async function holdsVip(host: string): Promise<boolean> {
	const { stdout } = await site.lan.run(host, 'ip', ['-4', '-o', 'addr', 'show', 'dev', 'eth0']);
	return stdout.includes(` ${VIP}/`);
}

async function casUp(engine: EngineUnderTest): Promise<boolean> {
	for (const cas of CAS) if (!(await serverStatus(engine.statsSocket, 'be_owa', cas))?.startsWith('UP')) return false;
	return true;
}

test.before(async () => {
	site = await startSite({ cas: [...CAS], backupBalancer: true });
	const ha = (role: 'master' | 'backup', host: string) => siteConfig(site.lan, CAS, [], (c) => {
		c.network.address = site.lan.addr(host);
		c.network.hostname = host;
		// A returning master waits its preempt delay before taking the VIP back: 2 s here (30 by default).
		c.ha = { ...c.ha, role, vip: VIP, clusterId: 77, preemptDelay: 2 };
	});
	await site.engine.apply(ha('master', 'lb'));
	await site.backupEngine!.apply(ha('backup', 'lb2'));
	await waitFor('both balancers see the CAS servers up', 30_000, async () => (await casUp(site.engine)) && casUp(site.backupEngine!), 100);
});

test.after.always(async () => {
	await site?.stop();
});

test.serial('the VIP is on the master only, and clients are served through it', async (t) => {
	await waitFor('VIP on lb', 20_000, () => holdsVip('lb'), 100);
	t.false(await holdsVip('lb2'), 'the backup does not hold the VIP');
	const reply = await httpRequest(site.lan, `https://${VIP}/owa/`);
	t.is(reply.status, 200);
	t.is(reply.headers['x-seen-peer'], site.lan.addr('lb'), 'the master balanced it');
});

test.serial('the master losing haproxy hands the VIP to the backup, which serves; the master takes it back', async (t) => {
	await site.engine.controller.stop('haproxy');
	await waitFor('VIP moved to lb2', 20_000, async () => (await holdsVip('lb2')) && !(await holdsVip('lb')), 100);
	const during = await waitFor('a client served through the VIP by lb2', 20_000, async () => {
		const reply = await httpRequest(site.lan, `https://${VIP}/owa/`).catch(() => undefined);
		return reply?.status === 200 ? reply : undefined;
	}, 100);
	t.is(during.headers['x-seen-peer'], site.lan.addr('lb2'), 'the backup balanced it');
	await site.engine.controller.start('haproxy');
	await waitFor('VIP back on lb', 30_000, async () => (await holdsVip('lb')) && !(await holdsVip('lb2')), 100);
	const after = await waitFor('a client served through the VIP by lb again', 30_000, async () => {
		const reply = await httpRequest(site.lan, `https://${VIP}/owa/`).catch(() => undefined);
		return reply?.status === 200 && reply.headers['x-seen-peer'] === site.lan.addr('lb') ? reply : undefined;
	}, 100);
	t.is(after.status, 200);
});
