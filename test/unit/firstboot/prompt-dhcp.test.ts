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
	t.log(lines.join('\n'), agent.stderr);
	const apply = agent.events.find((event) => event.event === 'apply');
	t.like(apply, { network: { source: 'dhcp' } });
});
