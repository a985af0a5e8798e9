// The fields where the running configuration differs from the saved one (or one revision of the history from
// another), values shown as text.
import { html } from 'htm/preact';
import { t } from '../i18n/i18n.js';

export interface ConfigChange {
	readonly path: string;
	readonly saved: unknown;
	readonly running: unknown;
}

export interface ConfigDiff {
	readonly saved: boolean;
	readonly changes: readonly ConfigChange[];
}

const shown = (value: unknown) => (value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value));

/** One row per field: its path and the value before and after, each as text (never markup). */
export interface Change {
	readonly path: string;
	readonly before: unknown;
	readonly after: unknown;
}

export function ChangesTable(props: { readonly changes: readonly Change[]; readonly label: string; readonly beforeLabel: string; readonly afterLabel: string }) {
	return html`<div class="table-scroll" role="region" aria-label=${props.label} tabindex="0">
		<table class="diff">
			<thead><tr><th scope="col">${t('diff.field')}</th><th scope="col">${props.beforeLabel}</th><th scope="col">${props.afterLabel}</th></tr></thead>
			<tbody>${props.changes.map((change) => html`<tr>
				<th scope="row"><code>${change.path}</code></th>
				<td><code class="old">${shown(change.before)}</code></td>
				<td><code class="new">${shown(change.after)}</code></td>
			</tr>`)}</tbody>
		</table>
	</div>`;
}

export function DiffTable(props: { readonly diff: ConfigDiff }) {
	if (props.diff.changes.length === 0) return html`<p>${t('diff.none')}</p>`;
	return html`
		${props.diff.saved ? null : html`<p>${t('diff.factory')}</p>`}
		<${ChangesTable} label=${t('diff.title')} beforeLabel=${t('diff.saved')} afterLabel=${t('diff.running')}
			changes=${props.diff.changes.map((change) => ({ path: change.path, before: change.saved, after: change.running }))} />`;
}
