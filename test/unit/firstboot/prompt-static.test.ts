// The static questions through a real pty: defaults, N to start over, y to apply and save, every bad input.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { AgentUnderTest } from './agent-harness.js';

const countdown10 = 'Retrieve IP using DHCP or configure static ... 10sec (D/s)?';

async function savedConfig(agent: AgentUnderTest): Promise<{ network: Record<string, unknown> } | null> {
	return readFile(path.join(agent.root, 'data/config/exlb.json'), 'utf8').then(
		(text) => JSON.parse(text) as { network: Record<string, unknown> },
		() => null,
	);
}

test('s, an address, a netmask, a gateway and y: applied, saved, and the banner shows the address', async (t) => {
	const agent = await AgentUnderTest.start();
	t.teardown(() => agent.stop());
	await agent.atPrompt(0, countdown10);
	agent.type(0, 's');
	await agent.see(0, 'Configure IP manually');
	await agent.answer('Use IP address (192.168.0.200)?', '10.0.0.17');
	await agent.answer('Use netmask (255.255.255.0)?', '255.255.0.0');
	await agent.answer('Use default gateway (none)?', '10.0.1.1');
	t.is(agent.count('apply'), 0, 'nothing applied before the commit');
	await agent.answer('Commit and save this configuration (N/y)?', 'y');
	await agent.see(0, 'https://10.0.0.17:4444/');
	const screen = agent.screens[0]?.text() ?? [];
	t.deepEqual(screen.slice(3, 9), [
		`${countdown10} s`,
		'Configure IP manually',
		'Use IP address (192.168.0.200)? 10.0.0.17',
		'Use netmask (255.255.255.0)? 255.255.0.0',
		'Use default gateway (none)? 10.0.1.1',
		'Commit and save this configuration (N/y)? y',
	]);
	t.true(screen.includes('Access WEB User Interface :'));
	t.like(agent.events.filter((event) => event.event === 'apply'), [{ network: { source: 'static', address: '10.0.0.17', netmask: '255.255.0.0', gateway: '10.0.1.1' } }]);
	t.like(await savedConfig(agent), { network: { source: 'static', address: '10.0.0.17', netmask: '255.255.0.0', gateway: '10.0.1.1' } });
	t.true(agent.count('timer') > 0, 'the countdown armed its timers (the event log records them)');
	t.is(agent.count('wait-lease'), 0, 'no DHCP wait on the static path');
});

test('Enter keeps every default; N goes back to the first question with the typed values as defaults', async (t) => {
	const agent = await AgentUnderTest.start();
	t.teardown(() => agent.stop());
	await agent.atPrompt(0, countdown10);
	agent.type(0, 'S');
	await agent.answer('Use IP address (192.168.0.200)?', '10.1.2.3');
	await agent.answer('Use netmask (255.255.255.0)?', '');
	await agent.answer('Use default gateway (none)?', '10.1.2.1');
	await agent.answer('Commit and save this configuration (N/y)?', '');
	await agent.atPrompt(0, 'Use IP address (10.1.2.3)?');
	t.is(agent.screens[0]?.text().filter((line) => line === 'Configure IP manually').length, 2);
	await agent.answer('Use IP address (10.1.2.3)?', '');
	await agent.answer('Use netmask (255.255.255.0)?', '');
	await agent.answer('Use default gateway (10.1.2.1)?', 'none');
	await agent.answer('Commit and save this configuration (N/y)?', 'n');
	await agent.answer('Use IP address (10.1.2.3)?', '');
	await agent.answer('Use netmask (255.255.255.0)?', '');
	await agent.answer('Use default gateway (none)?', '');
	t.is(agent.count('apply'), 0, 'N never applies anything');
	await agent.answer('Commit and save this configuration (N/y)?', 'Y');
	await agent.see(0, 'https://10.1.2.3:4444/');
	t.like(await savedConfig(agent), { network: { source: 'static', address: '10.1.2.3', netmask: '255.255.255.0', gateway: '' } });
});

test('every bad answer is asked again with a one-line reason', async (t) => {
	const agent = await AgentUnderTest.start();
	t.teardown(() => agent.stop());
	await agent.atPrompt(0, countdown10);
	agent.type(0, 's');
	const reasons: string[] = [];
	const bad = async (question: string, text: string, next = question) => {
		await agent.atPrompt(0, question);
		const before = agent.screens[0]?.text().length ?? 0;
		agent.type(0, `${text}\r`);
		// The reason, then the same question again (the address question when the netmask shows the address is wrong).
		await agent.until(`the reason for ${JSON.stringify(text)}`, () => (agent.screens[0]?.text().length ?? 0) >= before + 2 && agent.screens[0]?.current() === next);
		reasons.push(agent.screens[0]?.text().at(-2) ?? '');
	};
	await bad('Use IP address (192.168.0.200)?', '300.1.1.1');
	await bad('Use IP address (192.168.0.200)?', 'abc');
	await bad('Use IP address (192.168.0.200)?', '   ');
	await bad('Use IP address (192.168.0.200)?', '127.0.0.1');
	await agent.answer('Use IP address (192.168.0.200)?', '10.0.0.0');
	// The network address of the default /24: asked for the address again.
	await bad('Use netmask (255.255.255.0)?', '', 'Use IP address (10.0.0.0)?');
	await agent.answer('Use IP address (10.0.0.0)?', '10.0.0.255');
	await bad('Use netmask (255.255.255.0)?', '255.255.255.0', 'Use IP address (10.0.0.255)?');
	await agent.answer('Use IP address (10.0.0.255)?', '10.0.3.255');
	await bad('Use netmask (255.255.255.0)?', '255.0.255.0');
	await bad('Use netmask (255.255.255.0)?', 'abc');
	await bad('Use netmask (255.255.255.0)?', '   ');
	// 10.0.3.255 is a host in a /16 but the broadcast address of a /22.
	await bad('Use netmask (255.255.255.0)?', '255.255.252.0', 'Use IP address (10.0.3.255)?');
	await agent.answer('Use IP address (10.0.3.255)?', '');
	await agent.answer('Use netmask (255.255.252.0)?', '255.255.0.0');
	await bad('Use default gateway (none)?', '10.1.0.1');
	await bad('Use default gateway (none)?', '300.1.1.1');
	await bad('Use default gateway (none)?', '10.0.3.255');
	await agent.answer('Use default gateway (none)?', '10.0.0.1');
	await bad('Commit and save this configuration (N/y)?', 'maybe');
	t.deepEqual(reasons, [
		'Invalid IP address: "300.1.1.1" is not an IPv4 address',
		'Invalid IP address: "abc" is not an IPv4 address',
		'Invalid IP address: an address is required',
		'Invalid IP address: 127.0.0.1 is not a usable host address',
		'Invalid IP address: 10.0.0.0 is the network address of 10.0.0.0/24',
		'Invalid IP address: 10.0.0.255 is the broadcast address of its subnet',
		'Invalid netmask: 255.0.255.0 is not a contiguous netmask',
		'Invalid netmask: "abc" is not an IPv4 netmask',
		'Invalid netmask: a netmask is required',
		'Invalid IP address: 10.0.3.255 is the broadcast address of its subnet',
		'Invalid default gateway: 10.1.0.1 is outside the subnet of 10.0.3.255/16',
		'Invalid default gateway: "300.1.1.1" is not an IPv4 address',
		'Invalid default gateway: 10.0.3.255 is the appliance\'s own address',
		'Invalid answer: "maybe" is neither y nor n',
	]);
	await agent.answer('Commit and save this configuration (N/y)?', 'y');
	await agent.see(0, 'https://10.0.3.255:4444/');
	t.like(await savedConfig(agent), { network: { address: '10.0.3.255', netmask: '255.255.0.0', gateway: '10.0.0.1' } });
});

test('backspace edits the answer; Ctrl-C asks the same question again; neither ends the agent', async (t) => {
	const agent = await AgentUnderTest.start();
	t.teardown(() => agent.stop());
	await agent.atPrompt(0, countdown10);
	agent.type(0, 's');
	await agent.atPrompt(0, 'Use IP address (192.168.0.200)?');
	agent.type(0, '10.0.0.99x');
	await agent.atPrompt(0, 'Use IP address (192.168.0.200)? 10.0.0.99x');
	agent.type(0, '\x7f\x7f\b');
	await agent.atPrompt(0, 'Use IP address (192.168.0.200)? 10.0.0.');
	agent.type(0, '5\x1b[D\r');
	await agent.answer('Use netmask (255.255.255.0)?', '');
	agent.type(0, '10.0.0.1\x03');
	await agent.see(0, 'Use default gateway (none)? 10.0.0.1^C');
	await agent.atPrompt(0, 'Use default gateway (none)?');
	await agent.answer('Use default gateway (none)?', '');
	await agent.answer('Commit and save this configuration (N/y)?', 'y');
	await agent.see(0, 'https://10.0.0.5:4444/');
	t.like(await savedConfig(agent), { network: { address: '10.0.0.5', gateway: '' } });
	t.is(agent.exitCode, null);
});

test('a saved static configuration: the next boot shows no prompt and comes up with the same address', async (t) => {
	const first = await AgentUnderTest.start();
	await first.atPrompt(0, countdown10);
	first.type(0, 's');
	await first.answer('Use IP address (192.168.0.200)?', '10.0.2.50');
	await first.answer('Use netmask (255.255.255.0)?', '');
	await first.answer('Use default gateway (none)?', '10.0.2.2');
	await first.answer('Commit and save this configuration (N/y)?', 'y');
	await first.see(0, 'https://10.0.2.50:4444/');
	const root = await first.stopKeepingRoot();
	// The running configuration lives on tmpfs: a reboot starts without it.
	await import('node:fs/promises').then((fs) => fs.rm(path.join(root, 'run'), { recursive: true, force: true }));
	const second = await AgentUnderTest.start({ root });
	t.teardown(async () => {
		await second.stop();
		await import('node:fs/promises').then((fs) => fs.rm(root, { recursive: true, force: true }));
	});
	await second.see(0, 'https://10.0.2.50:4444/');
	const screen = second.screens[0]?.text().join('\n') ?? '';
	t.false(screen.includes('Retrieve IP'), 'no prompt');
	t.false(screen.includes('Warning:'), 'no warnings');
	t.true(screen.includes('Using the saved network configuration: 10.0.2.50/255.255.255.0 via 10.0.2.2'));
	t.like(second.events.filter((event) => event.event === 'apply'), [{ network: { source: 'static', address: '10.0.2.50', gateway: '10.0.2.2' } }]);
	t.is(second.count('timer'), 0, 'no countdown armed');
});

test('an agent restarted after set-up (running configuration present) goes straight to the menu', async (t) => {
	const first = await AgentUnderTest.start({ dhcp: '10.0.2.15/24' });
	await first.atPrompt(0, countdown10);
	first.type(0, 'd');
	await first.see(0, 'https://10.0.2.15:4444/');
	const root = await first.stopKeepingRoot();
	const second = await AgentUnderTest.start({ root });
	t.teardown(async () => {
		await second.stop();
		await import('node:fs/promises').then((fs) => fs.rm(root, { recursive: true, force: true }));
	});
	await second.atPrompt(0, 'Choice (1-6)?');
	t.false(second.screens[0]?.text().join('\n').includes('Retrieve IP'));
	t.is(second.count('apply'), 0, 'the network is left as it is');
});
