// The setup tab's firmware area: both system slots with their versions and states, which one runs and which one
// boots next; the upload of an update bundle with its progress (XMLHttpRequest: fetch cannot report an upload's),
// then the install's steps as the appliance does them (verified, written, read back, marked), then "Reboot now";
// "Boot the previous firmware" (only to a good slot, the password asked again); after an automatic rollback, from
// which firmware the appliance came back. Every value from the appliance is text.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { Static } from '@sinclair/typebox';
import type { FirmwareStatusSchema } from '../../../services/engine/protocol.js';
import { api, upload, ApiError } from '../api.js';
import { CheckField, FileField, PasswordField } from '../components/fields.js';
import { FormError } from '../components/form-error.js';
import { errorsOf, focusFirst, type Errors } from '../components/form-errors.js';
import { ReauthDialog } from '../components/reauth-dialog.js';
import { StateWord, type Tone } from '../components/state-word.js';
import { usePoll } from '../components/use-poll.js';
import { formatBytes, formatDateTime, formatNumber } from '../format.js';
import { t, type MessageKey } from '../i18n/i18n.js';
import { tn } from '../i18n/plural.js';

type FirmwareStatus = Static<typeof FirmwareStatusSchema>;
type Slot = FirmwareStatus['slots'][number];
type Install = NonNullable<FirmwareStatus['install']>;
type Step = Install['steps'][number]['step'];

const steps: readonly { readonly step: Step; readonly label: MessageKey }[] = [
	{ step: 'verified', label: 'firmware.stepVerified' },
	{ step: 'written', label: 'firmware.stepWritten' },
	{ step: 'read back', label: 'firmware.stepReadBack' },
	{ step: 'marked', label: 'firmware.stepMarked' },
];

function slotState(slot: Slot): { word: string; tone: Tone } {
	if (slot.status === 'good') return { word: t('firmware.stateGood'), tone: 'good' };
	if (slot.status === 'trying') return { word: t('firmware.stateTrying'), tone: 'warn' };
	return { word: t('firmware.stateBad'), tone: 'off' };
}

const versionOf = (version: string | undefined) => version ?? t('firmware.noVersion');

function SlotsTable(props: { readonly status: FirmwareStatus }) {
	return html`<div class="table-scroll" role="region" aria-label=${t('firmware.slotsLabel')} tabindex="0"><table class="slots">
		<thead><tr><th scope="col">${t('firmware.slot')}</th><th scope="col">${t('firmware.version')}</th><th scope="col">${t('firmware.state')}</th>
			<th scope="col">${t('firmware.running')}</th><th scope="col">${t('firmware.next')}</th></tr></thead>
		<tbody>${props.status.slots.map((slot) => {
			const state = slotState(slot);
			return html`<tr>
				<th scope="row">${t('firmware.slotName', { slot: slot.slot })}</th>
				<td>${versionOf(slot.version)}</td>
				<td><${StateWord} word=${state.word} tone=${state.tone} />${slot.status === 'trying' ? ` ${tn('firmware.triesLeft', slot.triesLeft ?? 0)}` : ''}</td>
				<td>${slot.booted ? t('common.yes') : t('common.no')}</td>
				<td>${slot.next ? t('common.yes') : t('common.no')}</td>
			</tr>`;
		})}</tbody>
	</table></div>`;
}

/** Each step as done, in progress, failed or still to come (`sending`: our own upload, before the appliance's first answer). */
function Steps(props: { readonly install: Install | null; readonly sending: boolean }) {
	const done = new Set(props.install?.steps.map((entry) => entry.step) ?? []);
	const running = props.sending || props.install?.state === 'running';
	const current = steps.find((entry) => !done.has(entry.step))?.step;
	const wordOf = (step: Step): { word: string; tone: Tone } => {
		if (done.has(step)) return { word: t('firmware.stepDone'), tone: 'good' };
		if (step === current && running) return { word: t('firmware.stepRunning'), tone: 'info' };
		if (step === current && props.install?.state === 'failed') return { word: t('firmware.stepFailed'), tone: 'bad' };
		return { word: t('firmware.stepWaiting'), tone: 'off' };
	};
	return html`<ol class="steps" aria-label=${t('firmware.stepsLabel')}>${steps.map((entry) => {
		const state = wordOf(entry.step);
		return html`<li><${StateWord} word=${state.word} tone=${state.tone} /> ${t(entry.label)}</li>`;
	})}</ol>`;
}

/** What the last install is (the running one, or the last one since the engine started), in one sentence. */
function installSummary(install: Install): string {
	const values = { version: versionOf(install.version), slot: install.slot, user: install.user, time: formatDateTime(install.started) };
	if (install.state === 'running') return t('firmware.installRunning', values);
	if (install.state === 'done') return tn('firmware.installDone', install.tries ?? 0, values);
	return t('firmware.installFailed', { ...values, reason: install.problem?.message ?? '' });
}

function UploadProgress(props: { readonly sent: number; readonly total: number }) {
	const percent = props.total === 0 ? 0 : Math.floor((props.sent / props.total) * 100);
	return html`<div class="field upload-progress">
		<label for="firmware-progress">${t('firmware.upload')}</label>
		<progress id="firmware-progress" max="100" value=${percent} aria-describedby="firmware-progress-text">${percent} %</progress>
		<p class="hint" id="firmware-progress-text">${t('firmware.sent', { percent: formatNumber(percent), sent: formatBytes(props.sent, 1), total: formatBytes(props.total, 1) })}</p>
	</div>`;
}

export function Firmware() {
	const status = usePoll(() => api<FirmwareStatus>('GET', '/api/v1/firmware'), 30_000);
	const [file, setFile] = useState<File | null>(null);
	const [password, setPassword] = useState('');
	const [force, setForce] = useState(false);
	const [errors, setErrors] = useState<Errors>({});
	const [sending, setSending] = useState<{ sent: number; total: number } | null>(null);
	/** What the last action did; `reboot`: offer to reboot into it. */
	const [notice, setNotice] = useState<{ readonly text: string; readonly reboot: boolean } | null>(null);
	const [asking, setAsking] = useState(false);
	const data = status.data;
	const install = data?.install ?? null;
	const following = sending !== null || install?.state === 'running';
	// While an install runs, its steps are read every second.
	useEffect(() => {
		if (!following) return undefined;
		const timer = window.setInterval(status.refresh, 1000);
		return () => window.clearInterval(timer);
	}, [following]);

	const submit = async (event: Event) => {
		event.preventDefault();
		setNotice(null);
		setErrors({});
		let found: Errors = {};
		if (file === null) found['firmware-bundle'] = t('firmware.fileRequired');
		else {
			const form = new FormData();
			form.append('password', password);
			form.append('force', String(force));
			form.append('bundle', file, file.name);
			setSending({ sent: 0, total: file.size });
			try {
				const answer = await upload<FirmwareStatus>('/api/v1/firmware', form, (sent, total) => setSending({ sent, total }));
				setFile(null);
				setPassword('');
				setForce(false);
				setNotice({ text: tn('firmware.installedNotice', answer.install?.tries ?? 0, { version: versionOf(answer.install?.version), slot: answer.next }), reboot: true });
			} catch (failure) {
				const problem = failure instanceof ApiError ? failure : null;
				found = problem?.status === 403 ? { 'firmware-password': t('password.currentWrong') }
					: problem?.status === 429 ? { 'firmware-password': t('login.tooMany', { seconds: problem.retryAfterSeconds ?? 1 }) }
					: errorsOf(failure, 'firmware', ['bundle', 'password', 'force'], 'firmware-form');
			} finally {
				setSending(null);
				status.refresh();
			}
		}
		setErrors(found);
		focusFirst(found, ['firmware-form', 'firmware-bundle', 'firmware-password', 'firmware-force']);
	};

	const reboot = async () => {
		try {
			await api('POST', '/api/v1/system/reboot');
			setNotice({ text: t('setup.rebooting'), reboot: false });
		} catch (failure) {
			setNotice({ text: (failure as Error).message, reboot: true });
		}
	};

	if (data === null) {
		return html`<section class="area wide" id="firmware-update" aria-labelledby="firmware-title">
			<h2 id="firmware-title">${t('firmware.title')}</h2>
			${status.error === null ? html`<p class="loading" role="status">${t('common.loading')}</p>`
				: html`<p class="form-error" role="alert"><span class="error-word">${t('common.error')}</span> ${status.error.message}</p>`}
		</section>`;
	}
	const previous = data.slots.find((slot) => slot.slot !== data.next);
	const canBootPrevious = previous?.status === 'good';
	const rollback = data.rolledBackFrom;
	return html`<section class="area wide" id="firmware-update" aria-labelledby="firmware-title">
		<h2 id="firmware-title">${t('firmware.title')}</h2>
		${rollback ? html`<p class="warning" role="status"><${StateWord} word=${t('firmware.rolledBackWord')} tone="warn" /> ${t('firmware.rolledBack', { slot: rollback.slot, version: versionOf(rollback.version) })}</p>` : null}
		<${SlotsTable} status=${data} />
		<div class="area-actions">
			<button type="button" class="secondary" disabled=${!canBootPrevious || following} aria-describedby="boot-previous-hint" onClick=${() => { setNotice(null); setAsking(true); }}>
				${t('firmware.bootPrevious')}
			</button>
		</div>
		<p class="hint" id="boot-previous-hint">${previous === undefined ? '' : canBootPrevious
			? t('firmware.bootPreviousHint', { slot: previous.slot, version: versionOf(previous.version) })
			: t('firmware.bootPreviousNone', { slot: previous.slot })}</p>
		${notice ? html`<div class="area-actions"><p class="notice" role="status">${notice.text}</p>
			${notice.reboot ? html`<button type="button" onClick=${reboot}>${t('firmware.rebootNow')}</button>` : null}</div>` : null}

		<h3>${t('firmware.installTitle')}</h3>
		<p class="hint">${t('firmware.installHint')}</p>
		<form onSubmit=${submit} novalidate>
			<${FormError} id="firmware-form" error=${errors['firmware-form']} />
			<${FileField} id="firmware-bundle" file=${file} label=${t('firmware.bundle')} accept=".exlbfw" error=${errors['firmware-bundle']} onChange=${setFile} />
			<${PasswordField} id="firmware-password" label=${t('setup.passwordAgain')} value=${password} onInput=${setPassword} autocomplete="current-password" error=${errors['firmware-password']} />
			<${CheckField} id="firmware-force" label=${t('firmware.force')} hint=${t('firmware.forceHint')} checked=${force} error=${errors['firmware-force']} onChange=${setForce} />
			<button type="submit" disabled=${following}>${sending !== null ? t('firmware.installing') : t('firmware.install')}</button>
		</form>
		${sending !== null ? html`<${UploadProgress} sent=${sending.sent} total=${sending.total} />` : null}
		${sending !== null || install !== null ? html`<div class="install-steps" role="status">
			${install !== null && sending === null ? html`<p>${installSummary(install)}</p>` : null}
			<${Steps} install=${sending !== null && install?.state !== 'running' ? null : install} sending=${sending !== null} />
		</div>` : null}
		${asking && previous !== undefined ? html`<${ReauthDialog} id="boot-previous-dialog" title=${t('firmware.bootPrevious')} action=${t('firmware.bootPreviousAction')}
			text=${t('firmware.bootPreviousHint', { slot: previous.slot, version: versionOf(previous.version) })} path="/api/v1/firmware/boot-previous"
			onClose=${() => setAsking(false)} onDone=${() => { setAsking(false); status.refresh(); setNotice({ text: t('firmware.bootsNext', { slot: previous.slot, version: versionOf(previous.version) }), reboot: true }); }} />` : null}
	</section>`;
}
