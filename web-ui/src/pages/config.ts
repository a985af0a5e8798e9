// The config tab (guide 5.2-5.8): Exchange version, CAS servers 1-4, the HTTP(S) service, IMAP, POP3, RPC and SMTP
// with HUB servers 1-4 (shown only when SMTP has a mode, as in the guide). Each area shows only the fields its mode
// uses, and has VALIDATE (the area applied to the running configuration) and CANCEL.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { CertificateView } from '../../../services/engine/protocol.js';
import { api } from '../api.js';
import { Area } from '../components/area.js';
import { CertificatePicker, importChosen, type CertificateChoice } from '../components/certificate-picker.js';
import { CheckField, SelectField, TextField } from '../components/fields.js';
import { filledSlots, slotPath, toSlots } from '../components/slots.js';
import { numberOrText, useArea } from '../components/use-area.js';
import { t, type MessageKey } from '../i18n/i18n.js';
import type { Config, Shell } from '../shell.js';

type MailName = 'imap' | 'pop3' | 'smtp';
type MailMode = Config['imap']['mode'];
type PortKey = 'virtualClearPort' | 'virtualSslPort' | 'serverClearPort' | 'serverSslPort';

/** The fields of a mail protocol's mode, as the original shows them (guide 5.5, 5.6, 5.8). */
const mailFields: Readonly<Record<MailMode, readonly PortKey[]>> = {
	disabled: [],
	clear: ['virtualClearPort', 'serverClearPort'],
	'ssl-forward': ['virtualSslPort', 'serverSslPort'],
	'ssl-offload': ['virtualSslPort', 'serverClearPort'],
	'clear-and-ssl-forward': ['virtualClearPort', 'virtualSslPort', 'serverClearPort', 'serverSslPort'],
	'clear-and-ssl-offload': ['virtualClearPort', 'virtualSslPort', 'serverClearPort'],
};
const mailModes = Object.keys(mailFields) as MailMode[];
const protocolNames: Readonly<Record<MailName, { clear: string; tls: string; servers: string }>> = {
	imap: { clear: 'IMAP', tls: 'IMAPS', servers: 'CAS' },
	pop3: { clear: 'POP3', tls: 'POP3S', servers: 'CAS' },
	smtp: { clear: 'SMTP', tls: 'SMTPS', servers: 'HUB' },
};

const modeLabel = (mode: string) => t(`mode.${mode}` as MessageKey);
const noCertificate = (name: string): CertificateChoice => ({ name, file: null, password: '' });

interface AreaProps {
	readonly shell: Shell;
	readonly certificates: readonly CertificateView[];
	readonly reloadCertificates: () => void;
}

function ExchangeVersion(props: AreaProps) {
	const area = useArea({ exchangeVersion: props.shell.config.exchangeVersion }, async (draft) => {
		await props.shell.patch(draft);
		return t('area.applied');
	});
	area.showing(['exchangeVersion']);
	return html`<${Area} id="area-version" title=${t('config.version')} onValidate=${area.validate} onCancel=${area.cancel} busy=${area.busy} dirty=${area.dirty}
		errors=${area.areaErrors} errorRound=${area.errorRound} notice=${area.notice}>
		<${SelectField} id="exchangeVersion" label=${t('config.exchangeVersion')} value=${area.draft.exchangeVersion} error=${area.errorOf('exchangeVersion')}
			hint=${t('config.exchangeVersionHint')} choices=${[{ value: '2010', label: 'Exchange 2010' }, { value: '2013+', label: 'Exchange 2013, 2016, 2019' }]}
			onChange=${(value: string) => area.set(() => ({ exchangeVersion: value as Config['exchangeVersion'] }))} />
	</${Area}>`;
}

/** CAS 1-4 or HUB 1-4: four address slots. */
function useServerSlots(props: AreaProps, key: 'casServers' | 'hubServers') {
	let slotOf = (index: number) => index;
	const area = useArea(toSlots(props.shell.config[key], 4, () => ''), async (draft) => {
		const filled = filledSlots(draft.map((value) => value.trim()), (value) => value === '');
		slotOf = filled.slotOf;
		await props.shell.patch({ [key]: filled.list });
		return t('area.applied');
	}, (path) => slotPath(path, key, slotOf));
	area.showing([0, 1, 2, 3].map((index) => `${key}[${index}]`));
	const fields = area.draft.map((value, index) => html`<${TextField} id=${`${key}[${index}]`} value=${value} inputMode="decimal"
		label=${t(key === 'casServers' ? 'config.casAddress' : 'config.hubAddress', { index: index + 1 })} error=${area.errorOf(`${key}[${index}]`)}
		onInput=${(next: string) => area.set((previous) => previous.map((entry, position) => (position === index ? next : entry)))} />`);
	return { area, fields };
}

function CasServers(props: AreaProps) {
	const { area, fields } = useServerSlots(props, 'casServers');
	return html`<${Area} id="area-cas" title=${t('config.cas')} onValidate=${area.validate} onCancel=${area.cancel} busy=${area.busy} dirty=${area.dirty}
		errors=${area.areaErrors} errorRound=${area.errorRound} notice=${area.notice}>
		<p class="hint">${t('config.casHint')}</p>
		<div class="grid-2">${fields}</div>
	</${Area}>`;
}

const httpServiceKeys = ['owa', 'ecp', 'oab', 'autodiscover', 'ews', 'activesync', 'outlookAnywhere', 'mapi'] as const;

function textOf<T extends object, K extends keyof T & string>(section: T, keys: readonly K[]): Record<K, string> {
	return Object.fromEntries(keys.map((key) => [key, String(section[key])])) as Record<K, string>;
}

function HttpService(props: AreaProps) {
	const http = props.shell.config.http;
	const portKeys = ['virtualHttpsPort', 'redirectHttpPort', 'casHttpPort', 'casHttpsPort', 'timeout'] as const;
	const source = { mode: http.mode, hostName: http.hostName, ...textOf(http, portKeys), services: http.services, certificate: noCertificate(http.certificate) };
	const area = useArea(source, async (draft) => {
		const taken = props.certificates.map((cert) => cert.name);
		const offload = draft.mode === 'ssl-offload';
		const certificate = offload ? await importChosen(draft.certificate, taken, { file: 'http.certificateFile', password: 'http.certificatePassword' }) : http.certificate;
		if (draft.certificate.file !== null) props.reloadCertificates();
		const ports = Object.fromEntries(portKeys.map((key) => [key, numberOrText(draft[key] ?? '')]));
		await props.shell.patch({ http: { mode: draft.mode, hostName: draft.hostName.trim(), ...ports, services: draft.services, certificate } });
		return t('area.applied');
	});
	const { draft } = area;
	const set = (key: string) => (value: string) => area.set((previous) => ({ ...previous, [key]: value }));
	const shownPorts = draft.mode === 'ssl-offload' ? ['virtualHttpsPort', 'redirectHttpPort', 'casHttpPort', 'timeout']
		: draft.mode === 'ssl-forward' ? ['virtualHttpsPort', 'redirectHttpPort', 'casHttpsPort', 'timeout'] : [];
	const services = httpServiceKeys.filter((key) => key !== 'mapi' || props.shell.config.exchangeVersion === '2013+');
	area.showing(draft.mode === 'disabled' ? ['http.mode'] : ['http.mode', 'http.hostName', ...shownPorts.map((key) => `http.${key}`), ...services.map((key) => `http.services.${key}`),
		...(draft.mode === 'ssl-offload' ? ['http.certificate', 'http.certificateFile', 'http.certificatePassword'] : [])]);
	return html`<${Area} id="area-http" title=${t('config.http')} onValidate=${area.validate} onCancel=${area.cancel} busy=${area.busy} dirty=${area.dirty}
		errors=${area.areaErrors} errorRound=${area.errorRound} notice=${area.notice}>
		<${SelectField} id="http.mode" label=${t('config.httpMode')} value=${draft.mode} onChange=${set('mode')} error=${area.errorOf('http.mode')}
			choices=${['disabled', 'ssl-offload', 'ssl-forward'].map((mode) => ({ value: mode, label: modeLabel(mode) }))} hint=${t(`config.httpModeHint.${draft.mode}` as MessageKey)} />
		${draft.mode === 'disabled' ? null : html`
			<fieldset><legend>${t('config.options')}</legend>
				<${TextField} id="http.hostName" label=${t('config.hostName')} value=${draft.hostName} onInput=${set('hostName')} hint=${t('config.hostNameHint')} error=${area.errorOf('http.hostName')} />
				<div class="grid-2">${shownPorts.map((key) => html`<${TextField} id=${`http.${key}`} label=${t(`config.http.${key}` as MessageKey)} value=${draft[key as keyof typeof draft] as string}
					inputMode="numeric" onInput=${set(key)} error=${area.errorOf(`http.${key}`)} hint=${key === 'timeout' ? t('config.httpTimeoutHint') : undefined} />`)}</div>
			</fieldset>
			${draft.mode === 'ssl-offload' ? html`<${CertificatePicker} section="http" choice=${draft.certificate} certificates=${props.certificates} errorOf=${area.errorOf}
				onChange=${(certificate: CertificateChoice) => area.set((previous) => ({ ...previous, certificate }))} />` : null}
			<fieldset><legend>${t('config.webServices')}</legend>
				<div class="grid-2">${services.map((key) => html`<${CheckField} id=${`http.services.${key}`} label=${t(`service.${key}`)} checked=${draft.services[key]}
					error=${area.errorOf(`http.services.${key}`)} onChange=${(checked: boolean) => area.set((previous) => ({ ...previous, services: { ...previous.services, [key]: checked } }))} />`)}</div>
			</fieldset>`}
	</${Area}>`;
}

function MailService(props: AreaProps & { readonly name: MailName }) {
	const section = props.shell.config[props.name];
	const portKeys = ['virtualClearPort', 'virtualSslPort', 'serverClearPort', 'serverSslPort', 'timeout'] as const;
	const names = protocolNames[props.name];
	const hubs = props.name === 'smtp' ? useServerSlots(props, 'hubServers') : null;
	const source = { mode: section.mode, ...textOf(section, portKeys), certificate: noCertificate(section.certificate) };
	const area = useArea(source, async (draft) => {
		const offload = draft.mode.endsWith('ssl-offload');
		const certificate = offload ? await importChosen(draft.certificate, props.certificates.map((cert) => cert.name), { file: `${props.name}.certificateFile`, password: `${props.name}.certificatePassword` }) : section.certificate;
		if (draft.certificate.file !== null) props.reloadCertificates();
		const ports = Object.fromEntries(portKeys.map((key) => [key, numberOrText(draft[key] ?? '')]));
		await props.shell.patch({ [props.name]: { mode: draft.mode, ...ports, certificate } });
		return t('area.applied');
	});
	const { draft } = area;
	const set = (key: string) => (value: string) => area.set((previous) => ({ ...previous, [key]: value }));
	const shown = [...mailFields[draft.mode], ...(draft.mode === 'disabled' ? [] : ['timeout'])];
	const offload = draft.mode.endsWith('ssl-offload');
	area.showing([`${props.name}.mode`, ...shown.map((key) => `${props.name}.${key}`), ...(offload ? ['certificate', 'certificateFile', 'certificatePassword'].map((key) => `${props.name}.${key}`) : [])]);
	const label = (key: string) => t(`config.mail.${key}` as MessageKey, { clear: names.clear, tls: names.tls, servers: names.servers });
	const mailArea = html`<${Area} id=${`area-${props.name}`} title=${t(`config.${props.name}` as MessageKey)} onValidate=${area.validate} onCancel=${area.cancel} busy=${area.busy} dirty=${area.dirty}
		errors=${area.areaErrors} errorRound=${area.errorRound} notice=${area.notice}>
		<${SelectField} id=${`${props.name}.mode`} label=${t('config.mailMode', { name: names.clear })} value=${draft.mode} onChange=${set('mode')} error=${area.errorOf(`${props.name}.mode`)}
			choices=${mailModes.map((mode) => ({ value: mode, label: modeLabel(mode) }))} />
		${shown.length === 0 ? null : html`<fieldset><legend>${t('config.options')}</legend><div class="grid-2">
			${shown.map((key) => html`<${TextField} id=${`${props.name}.${key}`} label=${label(key)} value=${draft[key as keyof typeof draft] as string} inputMode="numeric"
				onInput=${set(key)} error=${area.errorOf(`${props.name}.${key}`)} />`)}
		</div></fieldset>`}
		${offload ? html`<${CertificatePicker} section=${props.name} choice=${draft.certificate} certificates=${props.certificates} errorOf=${area.errorOf}
			onChange=${(certificate: CertificateChoice) => area.set((previous) => ({ ...previous, certificate }))} />` : null}
	</${Area}>`;
	// HUB servers serve SMTP only: hidden while SMTP is disabled both running and in the draft, so choosing a mode shows
	// them at once (to fill before validating) and a running mode keeps them until disabled is validated
	if (hubs === null || (section.mode === 'disabled' && draft.mode === 'disabled')) return mailArea;
	return html`${mailArea}
		<${Area} id="area-hub" title=${t('config.hub')} onValidate=${hubs.area.validate} onCancel=${hubs.area.cancel} busy=${hubs.area.busy} dirty=${hubs.area.dirty}
			errors=${hubs.area.areaErrors} errorRound=${hubs.area.errorRound} notice=${hubs.area.notice}>
			<p class="hint">${t('config.hubHint')}</p>
			<div class="grid-2">${hubs.fields}</div>
		</${Area}>`;
}

function RpcService(props: AreaProps) {
	const rpc = props.shell.config.rpc;
	const portKeys = ['endpointMapperPort', 'clientAccessPort', 'addressBookPort', 'timeout'] as const;
	const area = useArea({ mode: rpc.mode, ...textOf(rpc, portKeys) }, async (draft) => {
		await props.shell.patch({ rpc: { mode: draft.mode, ...Object.fromEntries(portKeys.map((key) => [key, numberOrText(draft[key] ?? '')])) } });
		return t('area.applied');
	});
	const { draft } = area;
	const enabled = draft.mode === 'enabled';
	area.showing(['rpc.mode', ...(enabled ? portKeys.map((key) => `rpc.${key}`) : [])]);
	const set = (key: string) => (value: string) => area.set((previous) => ({ ...previous, [key]: value }));
	return html`<${Area} id="area-rpc" title=${t('config.rpc')} onValidate=${area.validate} onCancel=${area.cancel} busy=${area.busy} dirty=${area.dirty}
		errors=${area.areaErrors} errorRound=${area.errorRound} notice=${area.notice}>
		<${SelectField} id="rpc.mode" label=${t('config.rpcMode')} value=${draft.mode} onChange=${set('mode')} error=${area.errorOf('rpc.mode')}
			choices=${['enabled', 'disabled'].map((mode) => ({ value: mode, label: modeLabel(mode) }))}
			hint=${props.shell.config.exchangeVersion === '2013+' ? t('config.rpc2013') : undefined} />
		${enabled ? html`<fieldset><legend>${t('config.options')}</legend><div class="grid-2">
			${portKeys.map((key) => html`<${TextField} id=${`rpc.${key}`} label=${t(`config.rpc.${key}` as MessageKey)} value=${draft[key as keyof typeof draft] as string}
				inputMode="numeric" onInput=${set(key)} error=${area.errorOf(`rpc.${key}`)} />`)}
		</div></fieldset>` : null}
	</${Area}>`;
}

export function ConfigPage(props: { readonly shell: Shell }) {
	const [certificates, setCertificates] = useState<readonly CertificateView[]>([]);
	const reloadCertificates = () => {
		api<{ certificates: CertificateView[] }>('GET', '/api/v1/certificates').then((answer) => setCertificates(answer.certificates), () => {});
	};
	useEffect(reloadCertificates, []);
	const common = { shell: props.shell, certificates, reloadCertificates };
	return html`<div class="areas">
		<${ExchangeVersion} ...${common} />
		<${CasServers} ...${common} />
		<${HttpService} ...${common} />
		<${MailService} ...${common} name="imap" />
		<${MailService} ...${common} name="pop3" />
		<${RpcService} ...${common} />
		<${MailService} ...${common} name="smtp" />
	</div>`;
}
