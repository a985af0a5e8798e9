// First boot with factory settings, driven through real ptys: the countdown, DHCP, the fallback address.
import test from 'ava';
import { AgentUnderTest } from './agent-harness.js';

const countdown = (seconds: number) => `Retrieve IP using DHCP or configure static ... ${seconds}sec (D/s)?`;

test('no answer: the countdown redraws in place from 10 to 0, then DHCP and the banner with the lease', async (t) => {
	const agent = await AgentUnderTest.start({ dhcp: '10.0.2.15/24' });
	t.teardown(() => agent.stop());
	await agent.atPrompt(0, countdown(10));
	t.deepEqual(agent.screens[0]?.text().slice(0, 3), [
		'Warning: No IP configuration found !',
		'Warning: DHCP configuration is available for test purpose only.',
		'Warning: A static IP configuration is recommended.',
	]);
	for (let seconds = 9; seconds >= 1; seconds--) {
		await agent.advance(1000);
		await agent.atPrompt(0, countdown(seconds));
		// Redrawn in place: still one countdown line, right under the warnings.
		t.is(agent.screens[0]?.text().filter((line) => line.startsWith('Retrieve IP')).length, 1);
	}
	t.is(agent.count('apply'), 0, 'nothing is applied while the countdown runs');
	await agent.advance(1000);
	await agent.see(0, 'https://10.0.2.15:4444/');
	const lines = agent.screens[0]?.text() ?? [];
	t.is(lines[3], countdown(0));
	t.true(lines.includes('Waiting for DHCP (up to 20 s)...'));
	t.true(lines.includes('Access WEB User Interface :'));
	const apply = agent.events.find((event) => event.event === 'apply');
	t.like(apply, { network: { source: 'dhcp' } });
});

for (const [name, keys] of [['d', 'd'], ['D', 'D'], ['Enter', '\r']] as const) {
	test(`${name} during the countdown chooses DHCP at once`, async (t) => {
		const agent = await AgentUnderTest.start({ dhcp: '10.0.2.15/24' });
		t.teardown(() => agent.stop());
		await agent.atPrompt(0, countdown(10));
		await agent.advance(1000);
		await agent.atPrompt(0, countdown(9));
		agent.type(0, keys);
		await agent.see(0, 'https://10.0.2.15:4444/');
		t.true(agent.screens[0]?.text().includes(`${countdown(9)} ${name === 'Enter' ? '' : keys}`.trimEnd()));
		t.like(agent.events.find((event) => event.event === 'apply'), { network: { source: 'dhcp' } });
	});
}

test('no DHCP server: says it waits (bounded), then configures 192.168.0.200/24 and says so', async (t) => {
	const agent = await AgentUnderTest.start();
	t.teardown(() => agent.stop());
	await agent.atPrompt(0, countdown(10));
	agent.type(0, 'd');
	await agent.see(0, 'Waiting for DHCP (up to 20 s)...');
	const wait = await agent.event('wait-lease', (event) => event.event === 'wait-lease');
	t.is(wait.ms, 20_000);
	t.false(agent.screens[0]?.text().join('\n').includes('https://'), 'no banner before the wait is over');
	await agent.advance(20_000);
	await agent.see(0, 'https://192.168.0.200:4444/');
	t.true(agent.screens[0]?.text().includes('No DHCP server answered within 20 s: configured 192.168.0.200/24 instead.'));
	const applied = agent.events.filter((event) => event.event === 'apply').map((event) => event.network);
	t.like(applied, [{ source: 'dhcp' }, { source: 'static', address: '192.168.0.200', netmask: '255.255.255.0', gateway: '' }]);
	t.true(agent.screens[0]?.text().includes('IPv4 address: 192.168.0.200/24'));
});

test('DHCP that cannot even start (networkctl fails) still ends with the fallback address', async (t) => {
	const agent = await AgentUnderTest.start({ applyFails: 'dhcp' });
	t.teardown(() => agent.stop());
	await agent.atPrompt(0, countdown(10));
	agent.type(0, '\r');
	await agent.see(0, 'https://192.168.0.200:4444/');
	t.true(agent.screens[0]?.text().includes('DHCP could not be started: networkctl failed (fake dhcp failure)'));
});

test('stray keys, arrows, backspace and Ctrl-C during the countdown are ignored: it goes on counting', async (t) => {
	const agent = await AgentUnderTest.start({ dhcp: '10.0.2.15/24' });
	t.teardown(() => agent.stop());
	await agent.atPrompt(0, countdown(10));
	agent.type(0, 'xq1 \x1b[A\x1b[D\x7f\b\x03\x04');
	await agent.advance(1000);
	await agent.atPrompt(0, countdown(9));
	t.is(agent.count('apply'), 0);
	t.is(agent.exitCode, null, 'the agent is still running');
	await agent.advance(9000);
	await agent.see(0, 'https://10.0.2.15:4444/');
});
