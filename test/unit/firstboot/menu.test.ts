// The console menu after set-up, through a real pty: every entry, bad choices, confirmations.
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { AgentUnderTest } from './agent-harness.js';
import { fakeStatusLines } from './fixtures/fake-status.js';

const choice = 'Choice (1-6)?';

/** An agent past the first-boot prompt (DHCP lease 10.0.2.15), waiting in its menu. */
async function inMenu(): Promise<AgentUnderTest> {
	const agent = await AgentUnderTest.start({ dhcp: '10.0.2.15/24' });
	await agent.atPrompt(0, 'Retrieve IP using DHCP or configure static ... 10sec (D/s)?');
	agent.type(0, 'd');
	await agent.atPrompt(0, choice);
	return agent;
}

const exists = (file: string) => stat(file).then(() => true, () => false);

test('the header shows name, version, host, address and web URL, then the six entries', async (t) => {
	const agent = await inMenu();
	t.teardown(() => agent.stop());
	const screen = agent.screens[0]?.text() ?? [];
	const top = screen.indexOf('exlb 0.1.0-test - load balancer for Microsoft Exchange - host exlb');
	t.true(top > 0);
	t.deepEqual(screen.slice(top + 1, top + 12), [
		'IPv4 address: 10.0.2.15/24',
		'Access WEB User Interface :',
		'https://10.0.2.15:4444/',
		'',
		'  1) Show status',
		'  2) Reconfigure the network',
		'  3) Reset the web admin password to the default',
		'  4) Factory reset (erase everything and reboot)',
		'  5) Reboot',
		'  6) Power off',
		'',
	]);
});

test('bad choices are asked again with a reason; Enter redraws; Ctrl-C re-asks; status shows the system\'s status lines', async (t) => {
	const agent = await inMenu();
	t.teardown(() => agent.stop());
	for (const bad of ['7', '0', 'x', '1 2']) {
		agent.type(0, `${bad}\r`);
		await agent.see(0, `Invalid choice: ${JSON.stringify(bad)} is not a choice: answer 1 to 6`);
		await agent.atPrompt(0, choice);
	}
	agent.type(0, 'abc\x03');
	await agent.see(0, `${choice} abc^C`);
	await agent.atPrompt(0, choice);
	const headers = () => agent.screens[0]?.text().filter((line) => line === 'https://10.0.2.15:4444/').length ?? 0;
	t.is(headers(), 1);
	agent.type(0, '\r');
	await agent.until('the menu redrawn', () => headers() === 2);
	agent.type(0, '1\r');
	await agent.see(0, fakeStatusLines.join('\n'));
	await agent.atPrompt(0, choice);
	t.is(agent.exitCode, null);
});

test('reset the web admin password: asks, then removes the custom password file from the data partition', async (t) => {
	const agent = await inMenu();
	t.teardown(() => agent.stop());
	const file = path.join(agent.root, 'data/config/web-admin-password');
	await mkdir(path.dirname(file), { recursive: true });
	await writeFile(file, 'custom hash\n');
	agent.type(0, '3\r');
	await agent.atPrompt(0, 'Reset the web admin password to the default (N/y)?');
	agent.type(0, '\r');
	await agent.atPrompt(0, choice);
	t.true(await exists(file), 'Enter means no');
	agent.type(0, '3\r');
	await agent.atPrompt(0, 'Reset the web admin password to the default (N/y)?');
	agent.type(0, 'y\r');
	await agent.see(0, 'The web admin password is back to the default.');
	t.false(await exists(file));
});

test('factory reset (erase everything) asks for confirmation, then erases the saved configuration, marks the data partition for re-creation and reboots', async (t) => {
	const agent = await inMenu();
	t.teardown(() => agent.stop());
	const saved = path.join(agent.root, 'data/config/exlb.json');
	await mkdir(path.dirname(saved), { recursive: true });
	await writeFile(saved, (await readFile(path.join(agent.root, 'run/exlb/config.json'), 'utf8')).replace('"dhcp"', '"static"'));
	agent.type(0, '4\r');
	await agent.atPrompt(0, 'Factory reset: erase everything on the data partition and reboot (N/y)?');
	agent.type(0, 'maybe\r');
	await agent.see(0, 'Invalid answer: "maybe" is neither y nor n');
	agent.type(0, 'n\r');
	await agent.atPrompt(0, choice);
	t.true(await exists(saved));
	t.is(agent.count('reboot'), 0);
	agent.type(0, '4\r');
	await agent.atPrompt(0, 'Factory reset: erase everything on the data partition and reboot (N/y)?');
	agent.type(0, 'y\r');
	await agent.event('reboot', (event) => event.event === 'reboot');
	await agent.see(0, 'Erased; the data partition is re-created at the next boot. Rebooting...');
	t.false(await exists(saved));
	t.true(await exists(path.join(agent.root, 'data/.exlb-erase')), 'the boot re-creates the data partition');
});

test('reboot and power off', async (t) => {
	const agent = await inMenu();
	t.teardown(() => agent.stop());
	agent.type(0, '5\r');
	await agent.event('reboot', (event) => event.event === 'reboot');
	await agent.see(0, 'Rebooting...');
	agent.type(0, '6\r');
	await agent.event('power-off', (event) => event.event === 'power-off');
	await agent.see(0, 'Powering off...');
	t.is(agent.count('reboot'), 1);
	t.is(agent.count('power-off'), 1);
});

test('reconfigure the network: the same questions without the countdown, saved on y, banner with the new address', async (t) => {
	const agent = await inMenu();
	t.teardown(() => agent.stop());
	agent.type(0, '2\r');
	await agent.atPrompt(0, 'Retrieve IP using DHCP or configure static (D/s)?');
	agent.type(0, 'x');
	t.is(agent.count('apply'), 1, 'a stray key does not choose');
	agent.type(0, 's');
	await agent.answer('Use IP address (192.168.0.200)?', '172.16.5.9');
	await agent.answer('Use netmask (255.255.255.0)?', '255.255.0.0');
	await agent.answer('Use default gateway (none)?', '172.16.0.1');
	await agent.answer('Commit and save this configuration (N/y)?', 'y');
	await agent.see(0, 'https://172.16.5.9:4444/');
	await agent.atPrompt(0, choice);
	const saved = JSON.parse(await readFile(path.join(agent.root, 'data/config/exlb.json'), 'utf8')) as { network: unknown };
	t.like(saved.network, { source: 'static', address: '172.16.5.9', netmask: '255.255.0.0', gateway: '172.16.0.1' });
	agent.type(0, '2\r');
	await agent.atPrompt(0, 'Retrieve IP using DHCP or configure static (D/s)?');
	agent.type(0, 'D');
	await agent.see(0, 'DHCP is for test purposes: in force until the next boot, the saved configuration is unchanged.');
	t.is(agent.screens[0]?.text().filter((line) => line === 'DHCP lease: 10.0.2.15/24').length, 2);
	t.like(agent.events.filter((event) => event.event === 'apply').at(-1), { network: { source: 'dhcp' } });
	const after = JSON.parse(await readFile(path.join(agent.root, 'data/config/exlb.json'), 'utf8')) as { network: unknown };
	t.like(after.network, { source: 'static', address: '172.16.5.9' });
});
