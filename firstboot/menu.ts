// The console menu shown after set-up instead of a login prompt: texts and the choice parser (pure).
import * as texts from './texts.js';

export const menuActions = ['status', 'network', 'password', 'factory-reset', 'reboot', 'power-off'] as const;
export type MenuAction = (typeof menuActions)[number];

const labels: Record<MenuAction, string> = {
	status: 'Show status',
	network: 'Reconfigure the network',
	password: 'Reset the web admin password to the default',
	'factory-reset': 'Factory reset (erase everything and reboot)',
	reboot: 'Reboot',
	'power-off': 'Power off',
};

export const menuQuestion = `Choice (1-${menuActions.length})? `;

export interface HeaderFacts {
	readonly product: string;
	readonly version: string;
	readonly hostname: string;
	/** "a.b.c.d/prefix" */
	readonly addresses: readonly string[];
}

/** Name, version, addresses and the web URL: also the end of every first-boot path. */
export function headerText(facts: HeaderFacts): string {
	const lines = [`${facts.product} ${facts.version} - load balancer for Microsoft Exchange - host ${facts.hostname}`];
	if (facts.addresses.length === 0) lines.push('IPv4 address: none');
	else lines.push(`IPv4 address: ${facts.addresses.join(', ')}`, texts.webInterfaceTitle, ...facts.addresses.map((address) => texts.webUrl(address.split('/')[0] as string)));
	return lines.map((line) => `${line}\r\n`).join('');
}

export function menuText(): string {
	return ['', ...menuActions.map((action, index) => `  ${index + 1}) ${labels[action]}`), ''].map((line) => `${line}\r\n`).join('');
}

/** The action for an answer, or a one-line reason to ask again. Empty answer = show the menu again. */
export function parseMenuChoice(answer: string): { action: MenuAction | 'redraw' } | { problem: string } {
	const text = answer.trim();
	if (text === '') return { action: 'redraw' };
	const index = /^[0-9]+$/.test(text) ? Number(text) - 1 : -1;
	const action = menuActions[index];
	return action === undefined ? { problem: `${JSON.stringify(answer)} is not a choice: answer 1 to ${menuActions.length}` } : { action };
}
