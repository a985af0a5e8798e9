// The original appliance's four services (guide 6: system, vrrp, haproxy, stunnel) mapped onto systemd units,
// with the status (OK: running when the configuration needs it, or stopped when it does not) and startup mode.
import { offloadCertificateFields } from '../config/cross-checks.js';
import type { Config } from '../config/schema.js';
import type { Static } from '@sinclair/typebox';
import type { ServiceViewSchema } from '../engine/protocol.js';
import type { UnitState } from './system-control.js';

export const applianceServiceNames = ['system', 'vrrp', 'haproxy', 'stunnel'] as const;
export type ApplianceServiceName = (typeof applianceServiceNames)[number];
export type ServiceView = Static<typeof ServiceViewSchema>;

/** The units behind a service; stunnel is one unit per offloaded service (those that exist). */
export function unitsOf(name: ApplianceServiceName, config: Config, stunnelUnits: readonly string[]): string[] {
	switch (name) {
		case 'system':
			return ['exlb-engine.service', 'exlb-web.service', 'exlb-console.service'];
		case 'vrrp':
			return ['keepalived.service'];
		case 'haproxy':
			return ['haproxy.service'];
		case 'stunnel':
			return [...new Set([...stunnelUnits, ...offloadedUnits(config)])].sort();
	}
}

function offloadedUnits(config: Config): string[] {
	return offloadCertificateFields(config).map((field) => `stunnel@exlb-${field.path === 'http.certificate' ? 'https' : `${field.path.split('.')[0]}s`}.service`);
}

/** Whether the configuration needs the service running. */
export function neededBy(name: ApplianceServiceName, config: Config): boolean {
	if (name === 'vrrp') return config.ha.role !== 'disabled';
	if (name === 'stunnel') return offloadCertificateFields(config).length > 0;
	return true;
}

export function serviceView(name: ApplianceServiceName, config: Config, units: readonly UnitState[]): ServiceView {
	const running = units.length > 0 && units.every((unit) => unit.active === 'active');
	const needed = neededBy(name, config);
	return {
		name,
		status: needed === running ? 'OK' : 'NOK',
		running,
		enabled: needed,
		startup: name === 'system' ? 'auto' : config.startup[name],
		units: units.map((unit) => ({ unit: unit.unit, state: unit.sub === '' ? unit.active : `${unit.active} (${unit.sub})` })),
	};
}
