// The console agent: at boot brings the network up (saved settings, or the prompt on every console), then shows
// the header and the menu on every console. Everything it touches is injected, so tests run the same code.
import { defaultConfig, type NetworkConfig } from '../services/config/schema.js';
import type { Clock } from './clock.js';
import type { ConsoleConfig } from './console-config.js';
import type { ConsoleIo } from './console-io.js';
import { runDialog } from './dialog-driver.js';
import { confirm, readLine } from './line-reader.js';
import { headerText, menuQuestion, menuText, parseMenuChoice } from './menu.js';
import type { NetworkBackend } from './network-backend.js';
import { bringUpDhcp, bringUpStatic, type FlowDeps } from './network-flow.js';
import type { StaticValues } from './network-dialog.js';
import type { SystemActions } from './system-actions.js';
import * as texts from './texts.js';

export interface AgentDeps {
	readonly consoles: readonly ConsoleIo[];
	readonly clock: Clock;
	readonly backend: NetworkBackend;
	readonly config: ConsoleConfig;
	readonly system: SystemActions;
	readonly product: string;
	readonly version: string;
	readonly hostname: () => string;
	/** Diagnostics for the journal (stderr), never shown on the consoles. */
	readonly log: (line: string) => void;
	readonly countdownSeconds?: number;
}

const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const valuesOf = (network: NetworkConfig): StaticValues => ({ address: network.address, netmask: network.netmask, gateway: network.gateway });

export async function runAgent(deps: AgentDeps): Promise<void> {
	await bringUpAtBoot(deps);
	await announce(deps);
	// Each console gets its own menu; the agent lives as long as one console is open.
	await Promise.all(deps.consoles.map((io) => menuSession(io, deps)));
	deps.log('every console is closed');
}

function sayOnAll(deps: AgentDeps): (line: string) => void {
	return (line) => {
		deps.log(line);
		for (const io of deps.consoles) io.write(`${line}\r\n`);
	};
}

async function bringUpAtBoot(deps: AgentDeps): Promise<void> {
	const flow: FlowDeps = { backend: deps.backend, config: deps.config, say: sayOnAll(deps) };
	if (await deps.config.networkAppliedThisBoot()) {
		deps.log('network already set up during this boot (agent restarted): straight to the menu');
		return;
	}
	let saved: NetworkConfig | null = null;
	try {
		saved = await deps.config.savedNetwork();
	} catch (error) {
		flow.say(`The saved configuration cannot be used: ${reason(error)}`);
	}
	if (saved?.source === 'static') {
		flow.say(`Using the saved network configuration: ${saved.address}/${saved.netmask}${saved.gateway === '' ? '' : ` via ${saved.gateway}`}`);
		if (await bringUpStatic(saved, valuesOf(saved), flow, false)) return;
	}
	if (saved !== null) {
		// Saved DHCP, or a saved static configuration that could not be applied: never leave the appliance without an address.
		await bringUpDhcp(saved, flow);
		return;
	}
	const base = await currentNetwork(deps);
	const decision = await runDialog(deps.consoles, deps.clock, {
		defaults: valuesOf(base),
		countdownSeconds: deps.countdownSeconds ?? texts.defaultCountdownSeconds,
		warnings: true,
	}, deps.log);
	deps.log(`decision: ${JSON.stringify(decision)}`);
	if (decision.kind === 'static') await bringUpStatic(base, decision.values, flow, true);
	else await bringUpDhcp(base, flow);
}

async function currentNetwork(deps: AgentDeps): Promise<NetworkConfig> {
	try {
		return await deps.config.currentNetwork();
	} catch (error) {
		deps.log(`current configuration unreadable, using the factory network settings: ${reason(error)}`);
		return defaultConfig().network;
	}
}

async function header(deps: AgentDeps): Promise<string> {
	let addresses: string[] = [];
	try {
		addresses = await deps.backend.addresses();
	} catch (error) {
		deps.log(`cannot list addresses: ${reason(error)}`);
	}
	return headerText({ product: deps.product, version: deps.version, hostname: deps.hostname(), addresses });
}

/**
 * Header (with the web URL) and menu on every console: the end of every set-up path. After a reconfiguration the
 * other consoles are waiting in their menu question, so they get the question again.
 */
async function announce(deps: AgentDeps, reconfiguredOn?: ConsoleIo): Promise<void> {
	const text = `\r\n${await header(deps)}${menuText()}`;
	for (const io of deps.consoles) io.write(reconfiguredOn === undefined || io === reconfiguredOn ? text : `${text}${menuQuestion}`);
}

async function menuSession(io: ConsoleIo, deps: AgentDeps): Promise<void> {
	const say = (line: string) => io.write(`${line}\r\n`);
	for (;;) {
		const answer = await readLine(io, menuQuestion);
		if (answer.kind === 'closed') return;
		if (answer.kind === 'interrupt') continue;
		const choice = parseMenuChoice(answer.text);
		if ('problem' in choice) {
			say(`Invalid choice: ${choice.problem}`);
			continue;
		}
		try {
			switch (choice.action) {
				case 'redraw':
					io.write(`${await header(deps)}${menuText()}`);
					break;
				case 'status':
					for (const line of await deps.system.status()) say(line);
					break;
				case 'network':
					await reconfigure(io, deps);
					break;
				case 'password':
					if (await confirm(io, 'Reset the web admin password to the default')) {
						await deps.config.resetAdminPassword();
						say('The web admin password is back to the default.');
					}
					break;
				case 'factory-reset':
					if (await confirm(io, 'Factory reset: erase everything on the data partition and reboot')) {
						await deps.config.factoryReset();
						sayOnAll(deps)('Erased; the data partition is re-created at the next boot. Rebooting...');
						await deps.system.reboot();
					}
					break;
				case 'reboot':
					sayOnAll(deps)('Rebooting...');
					await deps.system.reboot();
					break;
				case 'power-off':
					sayOnAll(deps)('Powering off...');
					await deps.system.powerOff();
					break;
			}
		} catch (error) {
			say(`Failed: ${reason(error)}`);
		}
	}
}

/** The same questions as at first boot, on this console only, without the countdown. */
async function reconfigure(io: ConsoleIo, deps: AgentDeps): Promise<void> {
	const base = await currentNetwork(deps);
	const decision = await runDialog([io], deps.clock, { defaults: valuesOf(base), countdownSeconds: null, warnings: false }, deps.log);
	if (io.isClosed) return;
	const flow: FlowDeps = { backend: deps.backend, config: deps.config, say: sayOnAll(deps) };
	if (decision.kind === 'static') await bringUpStatic(base, decision.values, flow, true);
	else {
		await bringUpDhcp(base, flow);
		flow.say('DHCP is for test purposes: in force until the next boot, the saved configuration is unchanged.');
	}
	await announce(deps, io);
}
