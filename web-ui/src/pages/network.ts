// The network tab (guide 4.2): the appliance's own address, static routes 1-4, high availability (VRRP, and the pair's
// pairing and configuration sync: network-pairing.ts). A change that moves the appliance's address shows the new URL
// and the window in which it must be confirmed from there.
import { html } from 'htm/preact';
import type { ComponentChild } from 'preact';
import { Area } from '../components/area.js';
import { SelectField, TextField } from '../components/fields.js';
import { filledSlots, slotPath, toSlots } from '../components/slots.js';
import { numberOrText, useArea } from '../components/use-area.js';
import { formatDateTime } from '../format.js';
import { t } from '../i18n/i18n.js';
import type { AppliedConfig, Shell } from '../shell.js';
import { HaPairing } from './network-pairing.js';

/** What to do after a change that moved the address: confirm it from the new one (a link to its confirmation page) in time. */
function movedNotice(applied: AppliedConfig): ComponentChild {
	if (applied.pendingNetwork === undefined) return t('area.applied');
	const link = `${applied.pendingNetwork.url.replace(/\/$/, '')}/#/confirm-network`;
	return html`${t('network.moved', { deadline: formatDateTime(applied.pendingNetwork.deadline) })} <a href=${link}>${link}</a>`;
}

function LocalNetwork(props: { readonly shell: Shell }) {
	const network = props.shell.config.network;
	const source = { hostname: network.hostname, source: network.source, address: network.address, netmask: network.netmask, gateway: network.gateway, vlan: network.vlan === null ? '' : String(network.vlan) };
	const area = useArea(source, async (draft) => {
		const vlan = draft.vlan.trim() === '' ? null : numberOrText(draft.vlan);
		return movedNotice(await props.shell.patch({ network: { ...draft, vlan } }));
	});
	const { draft } = area;
	const set = (key: keyof typeof source) => (value: string) => area.set((previous) => ({ ...previous, [key]: value }));
	const statik = draft.source === 'static';
	area.showing(['network.hostname', 'network.source', ...(statik ? ['network.address', 'network.netmask', 'network.gateway'] : []), 'network.vlan']);
	return html`<${Area} id="area-lan" title=${t('network.local')} onValidate=${area.validate} onCancel=${area.cancel} busy=${area.busy} dirty=${area.dirty}
		errors=${area.areaErrors} errorRound=${area.errorRound} notice=${area.notice}>
		<${TextField} id="network.hostname" label=${t('network.hostname')} value=${draft.hostname} onInput=${set('hostname')} error=${area.errorOf('network.hostname')} />
		<${SelectField} id="network.source" label=${t('network.source')} value=${draft.source} onChange=${set('source')} error=${area.errorOf('network.source')}
			choices=${[{ value: 'factory', label: t('network.source.factory') }, { value: 'dhcp', label: t('network.source.dhcp') }, { value: 'static', label: t('network.source.static') }]} />
		${statik ? html`
			<${TextField} id="network.address" label=${t('network.address')} value=${draft.address} onInput=${set('address')} inputMode="decimal" error=${area.errorOf('network.address')} />
			<${TextField} id="network.netmask" label=${t('network.netmask')} value=${draft.netmask} onInput=${set('netmask')} inputMode="decimal" error=${area.errorOf('network.netmask')} />
			<${TextField} id="network.gateway" label=${t('network.gateway')} value=${draft.gateway} onInput=${set('gateway')} inputMode="decimal" hint=${t('network.gatewayHint')} error=${area.errorOf('network.gateway')} />` : null}
		<${TextField} id="network.vlan" label=${t('network.vlan')} value=${draft.vlan} onInput=${set('vlan')} inputMode="numeric" hint=${t('network.vlanHint')} error=${area.errorOf('network.vlan')} />
	</${Area}>`;
}

interface RouteSlot {
	readonly network: string;
	readonly netmask: string;
	readonly router: string;
}
const emptyRoute = (): RouteSlot => ({ network: '', netmask: '', router: '' });
const isEmptyRoute = (route: RouteSlot) => route.network.trim() === '' && route.netmask.trim() === '' && route.router.trim() === '';

function StaticRoutes(props: { readonly shell: Shell }) {
	const source = toSlots(props.shell.config.network.routes, 4, emptyRoute);
	let slotOf = (index: number) => index;
	const area = useArea(source, async (draft) => {
		const filled = filledSlots(draft, isEmptyRoute);
		slotOf = filled.slotOf;
		return movedNotice(await props.shell.patch({ network: { routes: filled.list } }));
	}, (path) => slotPath(path, 'network.routes', slotOf));
	const fields = ['network', 'netmask', 'router'] as const;
	area.showing(source.flatMap((_route, index) => fields.map((field) => `network.routes[${index}].${field}`)));
	const set = (index: number, field: keyof RouteSlot) => (value: string) => area.set((previous) => previous.map((route, position) => (position === index ? { ...route, [field]: value } : route)));
	return html`<${Area} id="area-routes" title=${t('network.routes')} onValidate=${area.validate} onCancel=${area.cancel} busy=${area.busy} dirty=${area.dirty}
		errors=${area.areaErrors} errorRound=${area.errorRound} notice=${area.notice}>
		<p class="hint">${t('network.routesHint')}</p>
		${area.draft.map((route, index) => html`<fieldset class="row">
			<legend>${t('network.route', { index: index + 1 })}</legend>
			${fields.map((field) => html`<${TextField} id=${`network.routes[${index}].${field}`} label=${t(`network.route.${field}`)} value=${route[field]}
				onInput=${set(index, field)} inputMode="decimal" error=${area.errorOf(`network.routes[${index}].${field}`)} />`)}
		</fieldset>`)}
	</${Area}>`;
}

function HighAvailability(props: { readonly shell: Shell }) {
	const ha = props.shell.config.ha;
	const source = {
		role: ha.role, vip: ha.vip, clusterId: String(ha.clusterId), advertIntervalMs: String(ha.advertIntervalMs), preempt: ha.preempt as string,
		preemptDelay: String(ha.preemptDelay), unicastPeer: ha.unicastPeer,
	};
	const area = useArea(source, async (draft) => {
		await props.shell.patch({
			ha: { ...draft, clusterId: numberOrText(draft.clusterId), advertIntervalMs: numberOrText(draft.advertIntervalMs), preemptDelay: numberOrText(draft.preemptDelay) },
		});
		return t('area.applied');
	});
	const { draft } = area;
	const enabled = draft.role !== 'disabled';
	const delayed = draft.preempt === 'after-delay';
	area.showing(['ha.role', ...(enabled ? ['ha.vip', 'ha.clusterId', 'ha.advertIntervalMs', 'ha.preempt', ...(delayed ? ['ha.preemptDelay'] : []), 'ha.unicastPeer'] : [])]);
	const set = (key: keyof typeof source) => (value: string) => area.set((previous) => ({ ...previous, [key]: value }));
	return html`<${Area} id="area-ha" title=${t('network.ha')} onValidate=${area.validate} onCancel=${area.cancel} busy=${area.busy} dirty=${area.dirty}
		errors=${area.areaErrors} errorRound=${area.errorRound} notice=${area.notice}>
		<${SelectField} id="ha.role" label=${t('network.haRole')} value=${draft.role} onChange=${set('role')} error=${area.errorOf('ha.role')} hint=${t('network.haRoleHint')}
			choices=${['disabled', 'master', 'backup'].map((role) => ({ value: role, label: t(`ha.role.${role}` as 'ha.role.master') }))} />
		${enabled ? html`
			<${TextField} id="ha.vip" label=${t('network.vip')} value=${draft.vip} onInput=${set('vip')} inputMode="decimal" hint=${t('network.vipHint')} error=${area.errorOf('ha.vip')} />
			<${TextField} id="ha.clusterId" label=${t('network.clusterId')} value=${draft.clusterId} onInput=${set('clusterId')} inputMode="numeric" hint=${t('network.clusterIdHint')} error=${area.errorOf('ha.clusterId')} />
			<${TextField} id="ha.advertIntervalMs" label=${t('network.advertInterval')} value=${draft.advertIntervalMs} onInput=${set('advertIntervalMs')} inputMode="numeric"
				hint=${t('network.advertIntervalHint')} error=${area.errorOf('ha.advertIntervalMs')} />
			<${SelectField} id="ha.preempt" label=${t('network.preempt')} value=${draft.preempt} onChange=${set('preempt')} error=${area.errorOf('ha.preempt')}
				choices=${[{ value: 'after-delay', label: t('network.preempt.after-delay') }, { value: 'never', label: t('network.preempt.never') }]} />
			${delayed ? html`<${TextField} id="ha.preemptDelay" label=${t('network.preemptDelay')} value=${draft.preemptDelay} onInput=${set('preemptDelay')} inputMode="numeric"
				hint=${t('network.preemptDelayHint')} error=${area.errorOf('ha.preemptDelay')} />` : null}
			<${TextField} id="ha.unicastPeer" label=${t('network.unicastPeer')} value=${draft.unicastPeer} onInput=${set('unicastPeer')} inputMode="decimal"
				hint=${t('network.unicastPeerHint')} error=${area.errorOf('ha.unicastPeer')} />` : null}
	</${Area}>`;
}

export function NetworkPage(props: { readonly shell: Shell }) {
	return html`<div class="areas">
		<${LocalNetwork} shell=${props.shell} />
		<${StaticRoutes} shell=${props.shell} />
		<${HighAvailability} shell=${props.shell} />
		<${HaPairing} />
	</div>`;
}
