// The landing page: every Exchange server × service with its state word, last check and sessions (polled every
// few seconds), drain / maintenance / ready per server with its remaining sessions, VRRP and the VIP, the HA pair, certificates
// and their days left, and the last hour of sessions and requests per second per service and per server.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { Static } from '@sinclair/typebox';
import type { CertificateView, ServiceViewSchema, TrafficHistorySchema } from '../../../services/engine/protocol.js';
import type { BackendStatus, ExchangeServerStatus, HaproxyStatus, ServerStatus } from '../../../services/haproxy/status.js';
import type { VrrpStatus } from '../../../services/appliance/vrrp-status.js';
import { api, ApiError } from '../api.js';
import { Chart } from '../components/chart.js';
import { Expiry } from '../components/expiry.js';
import { StateWord, serverStateTone, type Tone } from '../components/state-word.js';
import { usePoll } from '../components/use-poll.js';
import { formatDuration, formatNumber } from '../format.js';
import { t, type MessageKey } from '../i18n/i18n.js';
import { tn } from '../i18n/plural.js';
import type { Config, Shell } from '../shell.js';
import { PairCard } from './dashboard-pair.js';

export interface Status {
	readonly services: readonly Static<typeof ServiceViewSchema>[];
	readonly vrrp: VrrpStatus;
	readonly haproxy: HaproxyStatus;
}
type History = Static<typeof TrafficHistorySchema>;

/** The Exchange servers as the configuration lists them, for when haproxy does not run (no backend to read them from). */
function configuredServers(config: Config): ExchangeServerStatus[] {
	const addresses = [...new Set([...config.casServers, ...config.hubServers])];
	return addresses.map((address) => ({
		address,
		roles: (['cas', 'hub'] as const).flatMap((role) => {
			const index = (role === 'cas' ? config.casServers : config.hubServers).indexOf(address);
			return index < 0 ? [] : [{ role, index: index + 1 }];
		}),
		configured: config.serverStates[address] ?? 'ready', running: [], sessions: 0, backends: 0, backendsUp: 0,
	}));
}

/** The matrix's columns, in the order of the original's guide; a backend belongs to one of them. */
const columns = ['owa', 'ecp', 'ews', 'activesync', 'oab', 'autodiscover', 'outlookAnywhere', 'mapi', 'https', 'rpc', 'imap', 'pop3', 'smtp'] as const;
type Column = (typeof columns)[number];

export function columnOf(service: string): Column {
	if (service.startsWith('rpc')) return 'rpc';
	const base = /^(imap|pop3|smtp)s$/.test(service) ? service.slice(0, -1) : service;
	return (columns as readonly string[]).includes(base) ? base as Column : 'https';
}

export const serviceLabel = (service: string): string => t(`service.${columnOf(service)}` as MessageKey);

/** The most telling state of a server over several backends of one column. */
const severity = ['DOWN', 'MAINT', 'DRAIN', 'UP'];
const worst = (servers: readonly ServerStatus[]) => [...servers].sort((a, b) => severity.indexOf(a.state) - severity.indexOf(b.state))[0];

function checkText(server: ServerStatus): string {
	const check = server.check;
	if (check.status === '') return t('dashboard.noCheck');
	return [check.status, check.code === null ? '' : String(check.code)].filter(Boolean).join(' ');
}

function Cell(props: { readonly servers: readonly ServerStatus[] }) {
	const shown = worst(props.servers);
	if (shown === undefined) return html`<td class="cell-none"><span class="visually-hidden">${t('dashboard.notUsed')}</span>—</td>`;
	const sessions = props.servers.reduce((sum, server) => sum + server.sessions.current, 0);
	return html`<td class="cell">
		<${StateWord} word=${shown.state} tone=${serverStateTone(shown.state)} />
		<span class="cell-line">${tn('dashboard.sessions', sessions)}</span>
		<span class="cell-line check" title=${shown.check.description}>${checkText(shown)}</span>
	</td>`;
}

const adminTone: Record<string, Tone> = { ready: 'good', drain: 'warn', maint: 'off' };

function ServerActions(props: { readonly role: 'cas' | 'hub'; readonly index: number; readonly configured: string; readonly onDone: () => void }) {
	const [busy, setBusy] = useState(false);
	const [error, setError] = useState<string | null>(null);
	const [maintAfter, setMaintAfter] = useState('');
	const set = async (state: 'ready' | 'drain' | 'maint') => {
		setBusy(true);
		setError(null);
		try {
			const then = state === 'drain' && maintAfter !== '' ? { maintAfterSeconds: Number(maintAfter) } : {};
			await api('PUT', `/api/v1/servers/${props.role}/${props.index}/state`, { state, ...then });
			props.onDone();
		} catch (failure) {
			setError((failure as ApiError).message);
		} finally {
			setBusy(false);
		}
	};
	const name = t(props.role === 'cas' ? 'dashboard.cas' : 'dashboard.hub', { index: props.index });
	return html`<div class="server-actions" role="group" aria-label=${t('dashboard.actionsFor', { name })}>
		${(['drain', 'maint', 'ready'] as const).map((state) => html`<button type="button" class="small secondary" disabled=${busy || props.configured === state}
			aria-pressed=${props.configured === state} onClick=${() => set(state)}>${t(`dashboard.action.${state}`)}</button>`)}
		${props.configured === 'ready' ? html`<label class="then-maint"><span>${t('dashboard.thenMaint')}</span>
			<select value=${maintAfter} onChange=${(event: Event) => setMaintAfter((event.currentTarget as HTMLSelectElement).value)}>
				${maintAfterChoices.map((seconds) => html`<option value=${seconds}>${seconds === '' ? t('dashboard.thenMaint.never') : formatDuration(Number(seconds))}</option>`)}
			</select></label>` : null}
		${error ? html`<p class="field-error" role="alert">${error}</p>` : null}
	</div>`;
}

/** After a drain, maintenance (the sessions still open are closed) once this long has passed: '' never. */
const maintAfterChoices = ['', '900', '1800', '3600', '7200', '14400'];

function Matrix(props: { readonly servers: readonly ExchangeServerStatus[]; readonly backends: readonly BackendStatus[]; readonly onChanged: () => void }) {
	const backends = props.backends;
	const used = columns.filter((column) => backends.some((backend) => columnOf(backend.service) === column));
	const serversIn = (address: string, column: Column) => backends.filter((backend: BackendStatus) => columnOf(backend.service) === column)
		.flatMap((backend) => backend.servers.filter((server) => server.address === address));
	if (props.servers.length === 0) return html`<p>${t('dashboard.noServers')} <a href="#/config">${t('dashboard.toConfig')}</a></p>`;
	return html`<div class="table-scroll" role="region" aria-label=${t('dashboard.matrix')} tabindex="0">
		<table class="matrix">
			<caption class="visually-hidden">${t('dashboard.matrix')}</caption>
			<thead><tr>
				<th scope="col">${t('dashboard.server')}</th>
				<th scope="col">${t('dashboard.state')}</th>
				${used.map((column) => html`<th scope="col">${t(`service.${column}` as MessageKey)}</th>`)}
			</tr></thead>
			<tbody>${props.servers.map((server) => {
				const names = server.roles.map((role) => t(role.role === 'cas' ? 'dashboard.cas' : 'dashboard.hub', { index: role.index })).join(' · ');
				const first = server.roles[0];
				return html`<tr>
					<th scope="row"><span class="server-name">${names}</span><span class="cell-line">${server.address}</span></th>
					<td class="server-state">
						<${StateWord} word=${t(`admin.${server.configured}` as MessageKey)} tone=${adminTone[server.configured] ?? 'info'} />
						${server.backends > 0 ? html`<span class="cell-line">${tn('dashboard.upIn', server.backends, { up: formatNumber(server.backendsUp) })}</span>` : null}
						<span class="cell-line remaining">${tn('dashboard.remaining', server.sessions)}</span>
						${first ? html`<${ServerActions} role=${first.role} index=${first.index} configured=${server.configured} onDone=${props.onChanged} />` : null}
					</td>
					${used.map((column) => html`<${Cell} servers=${serversIn(server.address, column)} />`)}
				</tr>`;
			})}</tbody>
		</table>
	</div>`;
}

function Charts(props: { readonly history: History }) {
	const { history } = props;
	const services = history.services.map((entry) => ({ ...entry, name: serviceLabel(entry.service) }));
	const servers = history.servers.map((entry) => ({ ...entry, name: entry.address }));
	return html`<div class="charts">
		<${Chart} id="chart-service-sessions" title=${t('chart.serviceSessions')} times=${history.times} series=${services.map((entry) => ({ name: entry.name, values: entry.sessions }))} />
		<${Chart} id="chart-service-rate" title=${t('chart.serviceRate')} times=${history.times} fractionDigits=${1} series=${services.map((entry) => ({ name: entry.name, values: entry.requestsPerSecond }))} />
		<${Chart} id="chart-server-sessions" title=${t('chart.serverSessions')} times=${history.times} series=${servers.map((entry) => ({ name: entry.name, values: entry.sessions }))} />
		<${Chart} id="chart-server-rate" title=${t('chart.serverRate')} times=${history.times} fractionDigits=${1} series=${servers.map((entry) => ({ name: entry.name, values: entry.requestsPerSecond }))} />
	</div>`;
}

const vrrpTone: Record<string, Tone> = { MASTER: 'good', BACKUP: 'info', FAULT: 'bad', STOPPED: 'bad', INCONSISTENT: 'bad', disabled: 'off' };

export function DashboardPage(props: { readonly shell: Shell }) {
	const status = usePoll(() => api<Status>('GET', '/api/v1/status'), 3000);
	const history = usePoll(() => api<History>('GET', '/api/v1/status/history'), 10_000);
	const certificates = usePoll(() => api<{ certificates: CertificateView[] }>('GET', '/api/v1/certificates'), 60_000);
	const data = status.data;
	return html`<div class="dashboard">
		${status.error ? html`<p class="form-error" role="alert">${t('dashboard.unreachable')} ${status.error.message}</p>` : null}
		${data === null ? html`<p class="loading" role="status">${t('common.loading')}</p>` : html`
			<div class="cards">
				<section class="card" aria-labelledby="vrrp-title">
					<h2 id="vrrp-title">${t('dashboard.vrrp')}</h2>
					<p><${StateWord} word=${data.vrrp.state === 'disabled' ? t('dashboard.vrrpDisabled') : data.vrrp.state} tone=${vrrpTone[data.vrrp.state] ?? 'info'} /></p>
					<dl>
						<dt>${t('dashboard.role')}</dt><dd>${t(`ha.role.${data.vrrp.role}` as MessageKey)}</dd>
						<dt>${t('dashboard.vip')}</dt><dd>${data.vrrp.vip || '—'}</dd>
						${data.vrrp.vip ? html`<dt>${t('dashboard.vipHere')}</dt><dd>${data.vrrp.vipOnThisNode ? t('common.yes') : t('common.no')}</dd>` : null}
					</dl>
					${data.vrrp.problem ? html`<p class="form-error" role="alert"><span class="error-word">${t('common.error')}</span> ${data.vrrp.problem}</p>` : null}
				</section>
				<${PairCard} />
				<section class="card" aria-labelledby="haproxy-title">
					<h2 id="haproxy-title">${t('dashboard.haproxy')}</h2>
					${data.haproxy.running ? html`
						<p><${StateWord} word=${t('services.ok')} tone="good" /></p>
						<dl>
							<dt>${t('dashboard.version')}</dt><dd>${data.haproxy.version}</dd>
							<dt>${t('dashboard.uptime')}</dt><dd>${formatDuration(data.haproxy.uptimeSeconds)}</dd>
							<dt>${t('dashboard.frontendSessions')}</dt><dd>${formatNumber(data.haproxy.frontends.reduce((sum, frontend) => sum + frontend.sessions, 0))}</dd>
						</dl>` : html`<p><${StateWord} word=${t('services.nok')} tone="bad" /> ${t('dashboard.haproxyDown')}</p>`}
				</section>
				<section class="card" aria-labelledby="certs-title">
					<h2 id="certs-title">${t('dashboard.certificates')}</h2>
					${certificates.data === null ? html`<p class="loading" role="status">${t('common.loading')}</p>` : certificates.data.certificates.length === 0 ? html`<p>${t('certs.none')}</p>` : html`
						<ul class="cert-list">${certificates.data.certificates.map((cert) => html`<li>
							<span class="cert-name">${cert.name}</span> <span class="cell-line">${cert.commonName}</span>
							<${Expiry} daysLeft=${cert.daysLeft} />
						</li>`)}</ul>`}
					<p><a href="#/certificates">${t('dashboard.manageCertificates')}</a></p>
				</section>
			</div>
			<section aria-labelledby="matrix-title">
				<h2 id="matrix-title">${t('dashboard.matrix')}</h2>
				${data.haproxy.running ? html`<${Matrix} servers=${data.haproxy.exchangeServers} backends=${data.haproxy.backends} onChanged=${status.refresh} />`
					: html`<p>${t('dashboard.haproxyDown')}</p><${Matrix} servers=${configuredServers(props.shell.config)} backends=${[]} onChanged=${() => { status.refresh(); void props.shell.reloadConfig(); }} />`}
			</section>`}
		<section aria-labelledby="charts-title">
			<h2 id="charts-title">${t('dashboard.charts')}</h2>
			${history.data === null ? html`<p class="loading" role="status">${t('common.loading')}</p>` : html`<${Charts} history=${history.data} />`}
		</section>
	</div>`;
}
