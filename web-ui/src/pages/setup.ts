// The setup tab (guide 7): what the appliance is (host name, version, build, model, UUID, ETHID, time, uptime);
// its configuration (save, the running/saved difference, factory reset with the password asked again); the system
// settings (language, time zone, NTP) and the admin password; reboot and power-off. Firmware update and backup /
// restore have their place here, empty until a later release fills it.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { Static } from '@sinclair/typebox';
import type { SystemInfoSchema } from '../../../services/engine/protocol.js';
import { api, ApiError } from '../api.js';
import { Area } from '../components/area.js';
import { Dialog } from '../components/dialog.js';
import { DiffTable, type ConfigDiff } from '../components/diff-table.js';
import { PasswordField, SelectField, TextField } from '../components/fields.js';
import { PasswordChangeForm } from '../components/password-change.js';
import { filledSlots, slotPath, toSlots } from '../components/slots.js';
import { useArea } from '../components/use-area.js';
import { usePoll } from '../components/use-poll.js';
import { formatBytes, formatDateTime, formatDuration } from '../format.js';
import { t } from '../i18n/i18n.js';
import type { Shell } from '../shell.js';

type SystemInfo = Static<typeof SystemInfoSchema>;

function Information() {
	const info = usePoll(() => api<SystemInfo>('GET', '/api/v1/system'), 30_000);
	const data = info.data;
	return html`<section class="area" aria-labelledby="info-title">
		<h2 id="info-title">${t('setup.information')}</h2>
		${data === null ? html`<p class="loading" role="status">${t('common.loading')}</p>` : html`<dl class="facts">
			<dt>${t('setup.hostname')}</dt><dd>${data.hostname}</dd>
			<dt>${t('setup.version')}</dt><dd>${data.version}</dd>
			<dt>${t('setup.build')}</dt><dd>${data.buildDate}</dd>
			<dt>${t('setup.model')}</dt><dd>${data.model}</dd>
			<dt>UUID</dt><dd><code>${data.uuid}</code></dd>
			<dt>ETHID</dt><dd><code>${data.ethid}</code></dd>
			<dt>${t('setup.time')}</dt><dd>${formatDateTime(data.time)}</dd>
			<dt>${t('setup.uptime')}</dt><dd>${formatDuration(data.uptimeSeconds)}</dd>
			<dt>${t('setup.memory')}</dt><dd>${t('setup.memoryValue', { available: formatBytes(data.memory.availableBytes), total: formatBytes(data.memory.totalBytes) })}</dd>
		</dl>`}
	</section>`;
}

/** A dialog that asks for the password again before an action that cannot be undone. */
function ReauthDialog(props: { readonly id: string; readonly title: string; readonly text: string; readonly action: string; readonly path: string; readonly onDone: () => void; readonly onClose: () => void }) {
	const [password, setPassword] = useState('');
	const [error, setError] = useState<string | undefined>(undefined);
	const [busy, setBusy] = useState(false);
	const submit = async (event: Event) => {
		event.preventDefault();
		setBusy(true);
		try {
			await api('POST', props.path, { password });
			props.onDone();
		} catch (failure) {
			const problem = failure as ApiError;
			setError(problem.status === 403 ? t('password.currentWrong') : problem.status === 429 ? t('login.tooMany', { seconds: problem.retryAfterSeconds ?? 1 }) : problem.message);
			document.getElementById(`${props.id}-password`)?.focus();
		} finally {
			setBusy(false);
		}
	};
	return html`<${Dialog} id=${props.id} title=${props.title} onClose=${props.onClose}>
		<form onSubmit=${submit} novalidate>
			<p>${props.text}</p>
			<${PasswordField} id=${`${props.id}-password`} label=${t('setup.passwordAgain')} value=${password} onInput=${setPassword} autocomplete="current-password" error=${error} />
			<div class="dialog-actions"><button type="submit" class="danger" disabled=${busy}>${props.action}</button></div>
		</form>
	</${Dialog}>`;
}

function Configuration(props: { readonly shell: Shell }) {
	const diff = usePoll(() => api<ConfigDiff>('GET', '/api/v1/config/diff'), 10_000);
	const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
	const [resetting, setResetting] = useState(false);
	const [gone, setGone] = useState(false);
	const save = async () => {
		try {
			await api('POST', '/api/v1/config/save');
			setMessage({ text: t('setup.saved'), error: false });
			diff.refresh();
			props.shell.refreshDiff();
		} catch (failure) {
			setMessage({ text: (failure as Error).message, error: true });
		}
	};
	if (gone) return html`<section class="area"><h2>${t('setup.configuration')}</h2><p role="status">${t('setup.resetDone')}</p></section>`;
	return html`<section class="area" aria-labelledby="configuration-title">
		<h2 id="configuration-title">${t('setup.configuration')}</h2>
		<p class="hint">${t('setup.saveHint')}</p>
		<div class="area-actions">
			<button type="button" onClick=${save}>${t('banner.save')}</button>
			<button type="button" class="danger" onClick=${() => setResetting(true)}>${t('setup.factoryReset')}</button>
		</div>
		${message ? html`<p class=${message.error ? 'form-error' : 'notice'} role=${message.error ? 'alert' : 'status'}>${message.text}</p>` : null}
		<h3>${t('diff.title')}</h3>
		${diff.data === null ? html`<p class="loading" role="status">${t('common.loading')}</p>` : html`<${DiffTable} diff=${diff.data} />`}
		${resetting ? html`<${ReauthDialog} id="reset-dialog" title=${t('setup.factoryReset')} text=${t('setup.factoryResetText')} action=${t('setup.factoryReset')}
			path="/api/v1/system/factory-reset" onClose=${() => setResetting(false)} onDone=${() => { setResetting(false); setGone(true); }} />` : null}
	</section>`;
}

function SystemSettings(props: { readonly shell: Shell }) {
	const system = props.shell.config.system;
	let slotOf = (index: number) => index;
	const source = { language: system.language, timezone: system.timezone, ntp: toSlots(system.ntpServers, 4, () => '') };
	const area = useArea(source, async (draft) => {
		const filled = filledSlots(draft.ntp.map((server) => server.trim()), (server) => server === '');
		slotOf = filled.slotOf;
		await props.shell.patch({ system: { language: draft.language, timezone: draft.timezone, ntpServers: filled.list } });
		return t('area.applied');
	}, (path) => slotPath(path, 'system.ntpServers', slotOf));
	const { draft } = area;
	area.showing(['system.language', 'system.timezone', ...[0, 1, 2, 3].map((index) => `system.ntpServers[${index}]`)]);
	const zones = (() => {
		try {
			return [...new Set(['UTC', ...Intl.supportedValuesOf('timeZone'), draft.timezone])];
		} catch {
			return ['UTC', draft.timezone];
		}
	})();
	return html`<${Area} id="area-system" title=${t('setup.system')} onValidate=${area.validate} onCancel=${area.cancel} busy=${area.busy} dirty=${area.dirty}
		errors=${area.areaErrors} errorRound=${area.errorRound} notice=${area.notice}>
		<${SelectField} id="system.language" label=${t('setup.language')} value=${draft.language} error=${area.errorOf('system.language')}
			choices=${[{ value: 'en', label: 'English' }, { value: 'fr', label: 'Français' }]} onChange=${(language: string) => area.set((previous) => ({ ...previous, language: language as 'en' | 'fr' }))} />
		<${SelectField} id="system.timezone" label=${t('setup.timezone')} value=${draft.timezone} error=${area.errorOf('system.timezone')}
			choices=${zones.map((zone) => ({ value: zone, label: zone }))} onChange=${(timezone: string) => area.set((previous) => ({ ...previous, timezone }))} />
		<fieldset><legend>${t('setup.ntp')}</legend>
			<p class="hint">${t('setup.ntpHint')}</p>
			<div class="grid-2">${draft.ntp.map((server, index) => html`<${TextField} id=${`system.ntpServers[${index}]`} label=${t('setup.ntpServer', { index: index + 1 })} value=${server}
				error=${area.errorOf(`system.ntpServers[${index}]`)} onInput=${(value: string) => area.set((previous) => ({ ...previous, ntp: previous.ntp.map((entry, position) => (position === index ? value : entry)) }))} />`)}</div>
		</fieldset>
	</${Area}>`;
}

function Power() {
	const [asking, setAsking] = useState<'reboot' | 'powerOff' | null>(null);
	const [message, setMessage] = useState<string | null>(null);
	const reboot = async () => {
		setAsking(null);
		try {
			await api('POST', '/api/v1/system/reboot');
			setMessage(t('setup.rebooting'));
		} catch (failure) {
			setMessage((failure as Error).message);
		}
	};
	return html`<section class="area" aria-labelledby="power-title">
		<h2 id="power-title">${t('setup.power')}</h2>
		<div class="area-actions">
			<button type="button" class="secondary" onClick=${() => setAsking('reboot')}>${t('setup.reboot')}</button>
			<button type="button" class="danger" onClick=${() => setAsking('powerOff')}>${t('setup.powerOff')}</button>
		</div>
		${message ? html`<p class="notice" role="status">${message}</p>` : null}
		${asking === 'reboot' ? html`<${Dialog} id="reboot-dialog" title=${t('setup.reboot')} onClose=${() => setAsking(null)}>
			<p>${t('setup.rebootConfirm')}</p>
			<div class="dialog-actions"><button type="button" onClick=${reboot}>${t('setup.reboot')}</button></div>
		</${Dialog}>` : null}
		${asking === 'powerOff' ? html`<${ReauthDialog} id="poweroff-dialog" title=${t('setup.powerOff')} text=${t('setup.powerOffText')} action=${t('setup.powerOff')}
			path="/api/v1/system/power-off" onClose=${() => setAsking(null)} onDone=${() => { setAsking(null); setMessage(t('setup.poweringOff')); }} />` : null}
	</section>`;
}

export function SetupPage(props: { readonly shell: Shell }) {
	return html`<div class="areas">
		<${Information} />
		<${Configuration} shell=${props.shell} />
		<${SystemSettings} shell=${props.shell} />
		<section class="area" aria-labelledby="admin-password-title">
			<h2 id="admin-password-title">${t('setup.adminPassword')}</h2>
			<${PasswordChangeForm} idPrefix="setup-password" onChanged=${() => {}} submitLabel=${t('setup.changePassword')} />
		</section>
		<${Power} />
		<section class="area placeholder" aria-labelledby="later-title">
			<h2 id="later-title">${t('setup.laterTitle')}</h2>
			<p><span class="state state-info">${t('setup.laterWord')}</span> ${t('setup.laterText')}</p>
		</section>
	</div>`;
}
