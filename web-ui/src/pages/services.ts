// The services tab (guide 6): system, vrrp, haproxy and stunnel with their status (OK / NOK), startup (Auto /
// Manual, kept in the configuration) and start / stop / restart / reload (system: restart is a reboot).
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { Static } from '@sinclair/typebox';
import type { ServiceViewSchema } from '../../../services/engine/protocol.js';
import { api, ApiError } from '../api.js';
import { Dialog } from '../components/dialog.js';
import { StateWord } from '../components/state-word.js';
import { usePoll } from '../components/use-poll.js';
import { t, type MessageKey } from '../i18n/i18n.js';
import type { Shell } from '../shell.js';

type ServiceView = Static<typeof ServiceViewSchema>;
const actions = ['start', 'stop', 'restart', 'reload'] as const;

export function ServicesPage(props: { readonly shell: Shell }) {
	const services = usePoll(() => api<{ services: ServiceView[] }>('GET', '/api/v1/services'), 5000);
	const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
	const [busy, setBusy] = useState(false);
	const [confirmReboot, setConfirmReboot] = useState(false);
	const act = async (name: string, action: string) => {
		setBusy(true);
		setMessage(null);
		try {
			await api('POST', `/api/v1/services/${name}/${action}`);
			setMessage({ text: t('services.done', { name, action: t(`services.action.${action}` as MessageKey) }), error: false });
			services.refresh();
		} catch (failure) {
			setMessage({ text: (failure as ApiError).message, error: true });
		} finally {
			setBusy(false);
		}
	};
	const setStartup = async (name: string, startup: string) => {
		setMessage(null);
		try {
			await props.shell.patch({ startup: { [name]: startup } });
			setMessage({ text: t('area.applied'), error: false });
			services.refresh();
		} catch (failure) {
			setMessage({ text: (failure as ApiError).message, error: true });
		}
	};
	return html`<section class="area" aria-labelledby="services-title">
		<h2 id="services-title">${t('services.title')}</h2>
		${message ? html`<p class=${message.error ? 'form-error' : 'notice'} role=${message.error ? 'alert' : 'status'}>${message.text}</p>` : null}
		${services.data === null ? html`<p class="loading" role="status">${t('common.loading')}</p>` : html`<div class="table-scroll" role="region" aria-label=${t('services.title')} tabindex="0">
			<table class="services">
				<thead><tr><th scope="col">${t('services.name')}</th><th scope="col">${t('services.status')}</th><th scope="col">${t('services.startup')}</th><th scope="col">${t('services.actions')}</th></tr></thead>
				<tbody>${services.data.services.map((service) => html`<tr>
					<th scope="row">${service.name}<span class="cell-line">${t(`services.about.${service.name}` as MessageKey)}</span></th>
					<td><${StateWord} word=${service.status === 'OK' ? t('services.ok') : t('services.nok')} tone=${service.status === 'OK' ? 'good' : service.enabled ? 'bad' : 'off'} />
						${service.enabled ? null : html`<span class="cell-line">${t('services.notNeeded')}</span>`}</td>
					<td>${service.name === 'system' ? t('services.auto') : html`<label class="visually-hidden" for=${`startup-${service.name}`}>${t('services.startupOf', { name: service.name })}</label>
						<select id=${`startup-${service.name}`} onChange=${(event: Event) => setStartup(service.name, (event.currentTarget as HTMLSelectElement).value)}>
							<option value="auto" selected=${service.startup === 'auto'}>${t('services.auto')}</option>
							<option value="manual" selected=${service.startup === 'manual'}>${t('services.manual')}</option>
						</select>`}</td>
					<td><div class="row-actions" role="group" aria-label=${t('services.actionsFor', { name: service.name })}>
						${service.name === 'system'
							? html`<button type="button" class="small secondary" disabled=${busy} onClick=${() => setConfirmReboot(true)}>${t('services.action.restart')}</button>`
							: actions.map((action) => html`<button type="button" class="small secondary" disabled=${busy} onClick=${() => act(service.name, action)}>${t(`services.action.${action}`)}</button>`)}
					</div></td>
				</tr>`)}</tbody>
			</table>
		</div>`}
		${confirmReboot ? html`<${Dialog} id="reboot-dialog" title=${t('setup.reboot')} onClose=${() => setConfirmReboot(false)}>
			<p>${t('setup.rebootConfirm')}</p>
			<div class="dialog-actions"><button type="button" onClick=${async () => { setConfirmReboot(false); await act('system', 'restart'); }}>${t('setup.reboot')}</button></div>
		</${Dialog}>` : null}
	</section>`;
}
