// tty1 and ttyS0 at once (two real ptys): the first answer on either wins, the other shows the result;
// a console that goes away (EIO) never crashes the agent nor leaves the appliance without an address.
import test from 'ava';
import { AgentUnderTest } from './agent-harness.js';

const countdown = (seconds: number) => `Retrieve IP using DHCP or configure static ... ${seconds}sec (D/s)?`;

test('the countdown runs on both consoles; s on the second wins, the first shows who answers and the result', async (t) => {
	const agent = await AgentUnderTest.start({ consoles: 2 });
	t.teardown(() => agent.stop());
	await agent.atPrompt(0, countdown(10));
	await agent.atPrompt(1, countdown(10));
	await agent.advance(1000);
	await agent.atPrompt(0, countdown(9));
	await agent.atPrompt(1, countdown(9));
	agent.type(1, 's');
	await agent.atPrompt(1, 'Use IP address (192.168.0.200)?');
	await agent.see(0, /^Static configuration being entered on pts\/[0-9]+\.\.\.$/);
	// Keys on the first console are ignored while the second one answers.
	agent.type(0, 'd\r');
	agent.type(1, '10.0.2.50\r');
	await agent.atPrompt(1, 'Use netmask (255.255.255.0)?');
	agent.type(1, '\r10.0.2.2\r');
	await agent.atPrompt(1, 'Commit and save this configuration (N/y)?');
	// The countdown no longer runs once someone answered.
	await agent.advance(20_000);
	agent.type(1, 'y\r');
	await agent.see(1, 'https://10.0.2.50:4444/');
	await agent.see(0, 'https://10.0.2.50:4444/');
	t.false(agent.screens[0]?.text().join('\n').includes('Use IP address'), 'the questions stay on the console that answered');
	t.like(agent.events.filter((event) => event.event === 'apply'), [{ network: { source: 'static', address: '10.0.2.50', gateway: '10.0.2.2' } }]);
	t.is(agent.count('apply'), 1);
});

test('d on the first console wins; the second shows that DHCP was chosen there, then the same banner', async (t) => {
	const agent = await AgentUnderTest.start({ consoles: 2, dhcp: '10.0.2.15/24' });
	t.teardown(() => agent.stop());
	await agent.atPrompt(1, countdown(10));
	agent.type(0, 'd');
	agent.type(1, 's');
	await agent.see(1, /^DHCP chosen on pts\/[0-9]+\.$/);
	await agent.see(0, 'https://10.0.2.15:4444/');
	await agent.see(1, 'https://10.0.2.15:4444/');
	t.false(agent.screens[1]?.text().join('\n').includes('Configure IP manually'));
	t.is(agent.count('apply'), 1);
});

test('one console closing during the countdown: the other one keeps counting and decides', async (t) => {
	const agent = await AgentUnderTest.start({ consoles: 2, dhcp: '10.0.2.15/24' });
	t.teardown(() => agent.stop());
	await agent.atPrompt(0, countdown(10));
	await agent.atPrompt(1, countdown(10));
	agent.closeConsole(0);
	await agent.until('the agent to notice the closed console', () => agent.stderr.includes('closed'));
	await agent.advance(1000);
	await agent.atPrompt(1, countdown(9));
	agent.type(1, 's');
	await agent.atPrompt(1, 'Use IP address (192.168.0.200)?');
	agent.type(1, '\r\r\ry\r');
	await agent.see(1, 'https://192.168.0.200:4444/');
	t.is(agent.exitCode, null, 'the agent runs on, with its menu on the remaining console');
	await agent.atPrompt(1, 'Choice (1-6)?');
});

test('the console answering the static questions closes: the default path (DHCP) runs, the other console shows it', async (t) => {
	const agent = await AgentUnderTest.start({ consoles: 2 });
	t.teardown(() => agent.stop());
	await agent.atPrompt(0, countdown(10));
	agent.type(0, 's');
	await agent.atPrompt(0, 'Use IP address (192.168.0.200)?');
	agent.type(0, '10.0.0.1');
	agent.closeConsole(0);
	await agent.see(1, /^Console pts\/[0-9]+ closed during the static configuration: using DHCP\.$/);
	await agent.see(1, 'Waiting for DHCP (up to 20 s)...');
	await agent.event('wait-lease', (event) => event.event === 'wait-lease');
	await agent.advance(20_000);
	await agent.see(1, 'https://192.168.0.200:4444/');
	t.is(agent.exitCode, null);
});

test('the only console closes during the countdown: no crash, DHCP then the fallback address all the same', async (t) => {
	const agent = await AgentUnderTest.start();
	t.teardown(() => agent.stop());
	await agent.atPrompt(0, countdown(10));
	agent.closeConsole(0);
	await agent.event('wait-lease', (event) => event.event === 'wait-lease');
	await agent.advance(20_000);
	await agent.until('the agent to finish', () => agent.exitCode !== null);
	t.is(agent.exitCode, 0, 'runAgent returns normally (main.ts then reopens the consoles), no crash');
	t.like(agent.events.filter((event) => event.event === 'apply'), [{ network: { source: 'dhcp' } }, { network: { source: 'static', address: '192.168.0.200' } }]);
	t.regex(agent.stderr, /No DHCP server answered within 20 s: configured 192\.168\.0\.200\/24 instead\./);
});
