// The setup tab (guide 7): what the appliance is (host name, version, build, model, UUID, ETHID, time, uptime);
// its configuration (save with a comment, the running/saved difference), its history (revisions, the difference
// between two, revert: setup-lifecycle.ts), backup and restore; the system settings (language, time zone, NTP) and
// the admin password; reboot, power-off and the two-level factory reset (the password asked again); the firmware's
// slots, its update and the boot of the previous one (setup-firmware.ts).
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { Static } from '@sinclair/typebox';
import type { SystemInfoSchema } from '../../../services/engine/protocol.js';
import { api } from '../api.js';
import { Area } from '../components/area.js';
import { Dialog } from '../components/dialog.js';
import { ReauthDialog } from '../components/reauth-dialog.js';
import { DiffTable, type ConfigDiff } from '../components/diff-table.js';
import { RadioGroup, SelectField, TextField } from '../components/fields.js';
import { errorsOf, focusFirst, type Errors } from '../components/form-errors.js';
import { PasswordChangeForm } from '../components/password-change.js';
import { filledSlots, slotPath, toSlots } from '../components/slots.js';
import { useArea } from '../components/use-area.js';
import { usePoll, type Polled } from '../components/use-poll.js';
import { formatBytes, formatDateTimeIn, formatDuration } from '../format.js';
import { t } from '../i18n/i18n.js';
import type { Shell } from '../shell.js';
import { Firmware } from './setup-firmware.js';
import { Backup, History, Restore, type HistoryList } from './setup-lifecycle.js';

type SystemInfo = Static<typeof SystemInfoSchema>;

function Information(props: { readonly timeZone: string }) {
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
			<dt>${t('setup.time')}</dt><dd>${t('setup.timeValue', formatDateTimeIn(data.time, props.timeZone))}</dd>
			<dt>${t('setup.uptime')}</dt><dd>${formatDuration(data.uptimeSeconds)}</dd>
			<dt>${t('setup.memory')}</dt><dd>${t('setup.memoryValue', { available: formatBytes(data.memory.availableBytes), total: formatBytes(data.memory.totalBytes) })}</dd>
		</dl>`}
	</section>`;
}

function Configuration(props: { readonly shell: Shell; readonly history: Polled<HistoryList> }) {
	const diff = usePoll(() => api<ConfigDiff>('GET', '/api/v1/config/diff'), 10_000);
	const [comment, setComment] = useState('');
	const [errors, setErrors] = useState<Errors>({});
	const [notice, setNotice] = useState<string | null>(null);
	const save = async (event: Event) => {
		event.preventDefault();
		setNotice(null);
		let found: Errors = {};
		try {
			const answer = await api<{ revision: number }>('POST', '/api/v1/config/save', comment.trim() === '' ? undefined : { comment: comment.trim() });
			setNotice(t('setup.savedRevision', { revision: answer.revision }));
			setComment('');
			diff.refresh();
			props.history.refresh();
			props.shell.refreshDiff();
		} catch (failure) {
			found = errorsOf(failure, 'save', ['comment']);
		}
		setErrors(found);
		focusFirst(found, ['save-comment']);
	};
	return html`<section class="area" aria-labelledby="configuration-title">
		<h2 id="configuration-title">${t('setup.configuration')}</h2>
		<p class="hint">${t('setup.saveHint')}</p>
		<form onSubmit=${save} novalidate>
			<${TextField} id="save-comment" label=${t('setup.saveComment')} hint=${t('history.commentHint')} value=${comment} onInput=${setComment} error=${errors['save-comment']} />
			<div class="area-actions">
				<button type="submit">${t('banner.save')}</button>
				${notice ? html`<p class="notice" role="status">${notice}</p>` : null}
			</div>
		</form>
		<h3>${t('diff.title')}</h3>
		${diff.data === null ? html`<p class="loading" role="status">${t('common.loading')}</p>` : html`<${DiffTable} diff=${diff.data} />`}
	</section>`;
}

/**
 * Factory reset at one of two levels, after the password: "configuration" (applied at once, the address kept; the
 * session ends, so back to the login page and the first-login password change) or "everything" (the data partition
 * is emptied at the next boot: the tab says the appliance is gone).
 */
function FactoryReset(props: { readonly shell: Shell }) {
	const [level, setLevel] = useState<'configuration' | 'everything'>('configuration');
	const [asking, setAsking] = useState(false);
	const [gone, setGone] = useState(false);
	if (gone) return html`<section class="area" aria-labelledby="reset-title"><h2 id="reset-title">${t('setup.factoryReset')}</h2><p role="status">${t('setup.resetDone')}</p></section>`;
	const done = () => {
		setAsking(false);
		if (level === 'configuration') props.shell.endSession();
		else setGone(true);
	};
	return html`<section class="area" aria-labelledby="reset-title">
		<h2 id="reset-title">${t('setup.factoryReset')}</h2>
		<${RadioGroup} id="reset-level" legend=${t('setup.resetLevel')} value=${level} onChange=${(value: string) => setLevel(value as 'configuration' | 'everything')} choices=${[
			{ value: 'configuration', label: t('setup.resetConfiguration'), hint: t('setup.resetConfigurationHint') },
			{ value: 'everything', label: t('setup.resetEverything'), hint: t('setup.resetEverythingHint') },
		]} />
		<div class="area-actions"><button type="button" class="danger" onClick=${() => setAsking(true)}>${t('setup.factoryResetAction')}</button></div>
		${asking ? html`<${ReauthDialog} id="reset-dialog" title=${t('setup.factoryReset')} action=${t('setup.factoryResetAction')} path="/api/v1/system/factory-reset" body=${{ level }}
			text=${level === 'configuration' ? t('setup.resetConfigurationHint') : t('setup.resetEverythingHint')} onClose=${() => setAsking(false)} onDone=${done} />` : null}
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

/** The tab's areas, firmware last. */
export function SetupPage(props: { readonly shell: Shell }) {
	const history = usePoll(() => api<HistoryList>('GET', '/api/v1/config/history'), 60_000);
	return html`<div class="areas">
		<${Information} timeZone=${props.shell.config.system.timezone} />
		<${Configuration} shell=${props.shell} history=${history} />
		<${History} shell=${props.shell} history=${history} />
		<${Backup} />
		<${Restore} shell=${props.shell} history=${history} />
		<${SystemSettings} shell=${props.shell} />
		<section class="area" aria-labelledby="admin-password-title">
			<h2 id="admin-password-title">${t('setup.adminPassword')}</h2>
			<${PasswordChangeForm} idPrefix="setup-password" onChanged=${() => {}} submitLabel=${t('setup.changePassword')} />
		</section>
		<${Power} />
		<${FactoryReset} shell=${props.shell} />
		<${Firmware} />
	</div>`;
}
