// The setup tab's lifecycle areas: the saved configuration's history (its revisions, the difference between two,
// the revert of one, applied and saved as a new revision), the backup download (one file, encrypted with a password
// when certificate keys are inside) and its restore. Every value from the appliance (users, comments, diffs, the
// API's refusals) is text, never markup; each refusal is shown at the field its `path` names.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { Static } from '@sinclair/typebox';
import type { BackupManifestSchema, RevisionSchema } from '../../../services/engine/protocol.js';
import { api, download, saveFile, type FieldError } from '../api.js';
import { Dialog } from '../components/dialog.js';
import { ChangesTable, type Change } from '../components/diff-table.js';
import { CheckField, FileField, PasswordField, SelectField, TextField } from '../components/fields.js';
import { FormError } from '../components/form-error.js';
import { errorsOf, focusFirst, type Errors } from '../components/form-errors.js';
import { useFieldForm } from '../components/field-form.js';
import type { Polled } from '../components/use-poll.js';
import { formatDateTime, formatNumber } from '../format.js';
import { t } from '../i18n/i18n.js';
import { tn } from '../i18n/plural.js';
import type { Shell } from '../shell.js';

export type Revision = Static<typeof RevisionSchema>;
type BackupManifest = Static<typeof BackupManifestSchema>;
export type HistoryList = { readonly revisions: readonly Revision[] };

interface RevisionDiff {
	readonly from: number;
	readonly to: number;
	readonly changes: readonly { readonly path: string; readonly from: unknown; readonly to: unknown }[];
}

/** What a change of the running configuration asks of the rest of the tab: read it again, and the history. */
async function afterApplied(shell: Shell, history: Polled<HistoryList>): Promise<void> {
	history.refresh();
	shell.refreshDiff();
	await shell.reloadConfig();
}

const warningsText = (warnings: readonly FieldError[]) => warnings.map((warning) => (warning.path ? `${warning.path}: ${warning.message}` : warning.message)).join(' ');

/** The short form of a revision's SHA-256, as git shows a commit. */
const shortHash = (hash: string) => hash.slice(0, 12);

function RevertDialog(props: { readonly revision: Revision; readonly shell: Shell; readonly history: Polled<HistoryList>; readonly onDone: (text: string) => void; readonly onClose: () => void }) {
	const [includeNetwork, setIncludeNetwork] = useState(false);
	const [comment, setComment] = useState('');
	const { errors, busy, run } = useFieldForm('revert', ['includeNetwork', 'comment']);
	const submit = (event: Event) => {
		event.preventDefault();
		void run(async () => {
			const body = { includeNetwork, ...(comment.trim() === '' ? {} : { comment: comment.trim() }) };
			const answer = await api<{ revision: number; warnings: FieldError[] }>('POST', `/api/v1/config/history/${props.revision.id}/revert`, body);
			await afterApplied(props.shell, props.history);
			props.onDone([t('history.reverted', { id: props.revision.id, revision: answer.revision }), warningsText(answer.warnings)].join(' ').trim());
		});
	};
	return html`<${Dialog} id="revert-dialog" title=${t('history.revertTitle', { id: props.revision.id })} onClose=${props.onClose}>
		<form onSubmit=${submit} novalidate>
			<p>${t('history.revertText')}</p>
			<${FormError} id="revert-form" error=${errors['revert-form']} />
			<${CheckField} id="revert-includeNetwork" label=${t('history.includeNetwork')} hint=${t('history.includeNetworkHint')} checked=${includeNetwork}
				error=${errors['revert-includeNetwork']} onChange=${setIncludeNetwork} />
			<${TextField} id="revert-comment" label=${t('history.comment')} hint=${t('history.commentHint')} value=${comment} onInput=${setComment} error=${errors['revert-comment']} />
			<div class="dialog-actions"><button type="submit" disabled=${busy}>${busy ? t('area.validating') : t('history.revert')}</button></div>
		</form>
	</${Dialog}>`;
}

function RevisionDiffForm(props: { readonly revisions: readonly Revision[] }) {
	const ids = props.revisions.map((revision) => revision.id);
	const [from, setFrom] = useState<number | null>(null);
	const [to, setTo] = useState<number | null>(null);
	const [diff, setDiff] = useState<RevisionDiff | null>(null);
	const [error, setError] = useState<string | undefined>(undefined);
	// Until one is chosen: the newest revision and the one before it.
	const chosenFrom = from !== null && ids.includes(from) ? from : (ids[1] ?? ids[0]);
	const chosenTo = to !== null && ids.includes(to) ? to : ids[0];
	const choices = props.revisions.map((revision) => ({ value: String(revision.id), label: t('history.revisionChoice', { id: revision.id, time: formatDateTime(revision.time) }) }));
	const compare = async (event: Event) => {
		event.preventDefault();
		setError(undefined);
		try {
			setDiff(await api<RevisionDiff>('GET', `/api/v1/config/history/diff?from=${chosenFrom}&to=${chosenTo}`));
		} catch (failure) {
			setDiff(null);
			setError((failure as Error).message);
			document.getElementById('history-diff-error')?.focus();
		}
	};
	if (chosenFrom === undefined || chosenTo === undefined) return null;
	const changes: Change[] = diff?.changes.map((change) => ({ path: change.path, before: change.from, after: change.to })) ?? [];
	return html`<form class="history-diff" onSubmit=${compare} novalidate>
		<h3>${t('history.compareTitle')}</h3>
		<div class="grid-2">
			<${SelectField} id="history-from" label=${t('history.from')} value=${String(chosenFrom)} choices=${choices} onChange=${(value: string) => { setDiff(null); setFrom(Number(value)); }} />
			<${SelectField} id="history-to" label=${t('history.to')} value=${String(chosenTo)} choices=${choices} onChange=${(value: string) => { setDiff(null); setTo(Number(value)); }} />
		</div>
		<button type="submit" class="secondary">${t('history.compare')}</button>
		<${FormError} id="history-diff-error" error=${error} />
		${diff === null ? null : diff.changes.length === 0
			? html`<p role="status">${t('history.same', { from: diff.from, to: diff.to })}</p>`
			: html`<p role="status">${tn('history.differs', diff.changes.length, { from: diff.from, to: diff.to })}</p>
				<${ChangesTable} label=${t('history.diffLabel', { from: diff.from, to: diff.to })} changes=${changes}
					beforeLabel=${t('history.revisionNumber', { id: diff.from })} afterLabel=${t('history.revisionNumber', { id: diff.to })} />`}
	</form>`;
}

export function History(props: { readonly shell: Shell; readonly history: Polled<HistoryList> }) {
	const [reverting, setReverting] = useState<Revision | null>(null);
	const [notice, setNotice] = useState<string | null>(null);
	const revisions = props.history.data?.revisions ?? null;
	return html`<section class="area wide" aria-labelledby="history-title">
		<h2 id="history-title">${t('history.title')}</h2>
		<p class="hint">${t('history.hint')}</p>
		${notice ? html`<p class="notice" role="status">${notice}</p>` : null}
		${props.history.error !== null && revisions === null ? html`<p class="form-error" role="alert">${props.history.error.message}</p>`
			: revisions === null ? html`<p class="loading" role="status">${t('common.loading')}</p>`
			: revisions.length === 0 ? html`<p>${t('history.none')}</p>` : html`
			<div class="table-scroll" role="region" aria-label=${t('history.listLabel')} tabindex="0"><table class="history">
				<thead><tr><th scope="col">${t('history.number')}</th><th scope="col">${t('history.time')}</th><th scope="col">${t('history.user')}</th>
					<th scope="col">${t('history.source')}</th><th scope="col">${t('history.comment')}</th><th scope="col">${t('history.hash')}</th>
					<th scope="col"><span class="visually-hidden">${t('services.actions')}</span></th></tr></thead>
				<tbody>${revisions.map((revision, index) => html`<tr>
					<th scope="row">${formatNumber(revision.id)}${index === 0 ? html` <span class="state state-info">${t('history.savedWord')}</span>` : null}</th>
					<td>${formatDateTime(revision.time)}</td>
					<td>${revision.user}</td>
					<td>${t(`history.source.${revision.source}`)}</td>
					<td class="comment">${revision.comment || '—'}</td>
					<td><code>${shortHash(revision.hash)}</code></td>
					<td><button type="button" class="small secondary" aria-label=${t('history.revertNamed', { id: revision.id })}
						onClick=${() => { setNotice(null); setReverting(revision); }}>${t('history.revert')}</button></td>
				</tr>`)}</tbody>
			</table></div>
			${revisions.length > 1 ? html`<${RevisionDiffForm} revisions=${revisions} />` : null}`}
		${reverting ? html`<${RevertDialog} revision=${reverting} shell=${props.shell} history=${props.history} onClose=${() => setReverting(null)}
			onDone=${(text: string) => { setReverting(null); setNotice(text); }} />` : null}
	</section>`;
}

export function Backup() {
	const [password, setPassword] = useState('');
	const [errors, setErrors] = useState<Errors>({});
	const [busy, setBusy] = useState(false);
	const [saved, setSaved] = useState<{ url: string; fileName: string; manifest: BackupManifest | null } | null>(null);
	useEffect(() => () => {
		if (saved !== null) URL.revokeObjectURL(saved.url);
	}, [saved]);
	const submit = async (event: Event) => {
		event.preventDefault();
		setBusy(true);
		let found: Errors = {};
		try {
			const file = await download('POST', '/api/v1/backup', password === '' ? {} : { password }, 'exlb.exlbbak');
			let manifest: BackupManifest | null = null;
			try {
				manifest = JSON.parse(file.headers.get('x-exlb-backup-manifest') ?? 'null') as BackupManifest | null;
			} catch {
				// no manifest header: the file is still the backup
			}
			setSaved({ url: saveFile(file), fileName: file.fileName, manifest });
			setPassword('');
		} catch (failure) {
			setSaved(null);
			found = errorsOf(failure, 'backup', ['password'], 'backup-form');
		} finally {
			setBusy(false);
		}
		setErrors(found);
		focusFirst(found, ['backup-form', 'backup-password']);
	};
	return html`<section class="area" aria-labelledby="backup-title">
		<h2 id="backup-title">${t('backup.title')}</h2>
		<p class="hint">${t('backup.hint')}</p>
		<form onSubmit=${submit} novalidate>
			<${FormError} id="backup-form" error=${errors['backup-form']} />
			<${PasswordField} id="backup-password" label=${t('backup.password')} hint=${t('backup.passwordHint')} value=${password} onInput=${setPassword}
				autocomplete="new-password" error=${errors['backup-password']} />
			<button type="submit" disabled=${busy}>${busy ? t('backup.preparing') : t('backup.download')}</button>
			${saved ? html`<p class="notice" role="status">${t('backup.downloaded', { file: saved.fileName })}
				${saved.manifest === null ? '' : ` ${saved.manifest.containsPrivateKeys ? t('backup.withKeys') : t('backup.withoutKeys')}`}</p>` : null}
		</form>
	</section>`;
}

export function Restore(props: { readonly shell: Shell; readonly history: Polled<HistoryList> }) {
	const [file, setFile] = useState<File | null>(null);
	const [password, setPassword] = useState('');
	const [includeNetwork, setIncludeNetwork] = useState(false);
	const [errors, setErrors] = useState<Errors>({});
	const [busy, setBusy] = useState(false);
	const [result, setResult] = useState<{ revision: number; manifest: BackupManifest; warnings: readonly FieldError[] } | null>(null);
	const submit = async (event: Event) => {
		event.preventDefault();
		setResult(null);
		let found: Errors = {};
		if (file === null) found['restore-file'] = t('restore.fileRequired');
		else {
			setBusy(true);
			const form = new FormData();
			form.append('password', password);
			form.append('includeNetwork', String(includeNetwork));
			form.append('file', file, file.name);
			try {
				const answer = await api<{ revision: number; manifest: BackupManifest; warnings: FieldError[] }>('POST', '/api/v1/backup/restore', undefined, { form });
				setResult(answer);
				setFile(null);
				setPassword('');
				setIncludeNetwork(false);
				await afterApplied(props.shell, props.history);
			} catch (failure) {
				found = errorsOf(failure, 'restore', ['file', 'password', 'includeNetwork'], 'restore-form');
			} finally {
				setBusy(false);
			}
		}
		setErrors(found);
		focusFirst(found, ['restore-form', 'restore-file', 'restore-password', 'restore-includeNetwork']);
	};
	return html`<section class="area" aria-labelledby="restore-title">
		<h2 id="restore-title">${t('restore.title')}</h2>
		<p class="hint">${t('restore.hint')}</p>
		<form onSubmit=${submit} novalidate>
			<${FormError} id="restore-form" error=${errors['restore-form']} />
			<${FileField} id="restore-file" file=${file} label=${t('restore.file')} accept=".exlbbak" error=${errors['restore-file']} onChange=${setFile} />
			<${PasswordField} id="restore-password" label=${t('restore.password')} hint=${t('restore.passwordHint')} value=${password} onInput=${setPassword}
				autocomplete="off" error=${errors['restore-password']} />
			<${CheckField} id="restore-includeNetwork" label=${t('restore.includeNetwork')} hint=${t('restore.includeNetworkHint')} checked=${includeNetwork}
				error=${errors['restore-includeNetwork']} onChange=${setIncludeNetwork} />
			<button type="submit" disabled=${busy}>${busy ? t('area.validating') : t('restore.submit')}</button>
			${result ? html`<div class="notice" role="status">
				<p>${t('restore.done', { revision: result.revision, host: result.manifest.hostname, time: formatDateTime(result.manifest.created), version: result.manifest.firmwareVersion })}</p>
				${result.warnings.length > 0 ? html`<p>${t('restore.warnings')}</p><ul>${result.warnings.map((warning) => html`<li>${warning.path ? html`<code>${warning.path}</code> ` : null}${warning.message}</li>`)}</ul>` : null}
			</div>` : null}
		</form>
	</section>`;
}
