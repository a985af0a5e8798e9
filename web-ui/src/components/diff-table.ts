// The fields where the running configuration differs from the saved one, values shown as text.
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

export function DiffTable(props: { readonly diff: ConfigDiff }) {
	if (props.diff.changes.length === 0) return html`<p>${t('diff.none')}</p>`;
	return html`
		${props.diff.saved ? null : html`<p>${t('diff.factory')}</p>`}
		<div class="table-scroll" role="region" aria-label=${t('diff.title')} tabindex="0">
			<table class="diff">
				<thead><tr><th scope="col">${t('diff.field')}</th><th scope="col">${t('diff.saved')}</th><th scope="col">${t('diff.running')}</th></tr></thead>
				<tbody>${props.diff.changes.map((change) => html`<tr>
					<th scope="row"><code>${change.path}</code></th>
					<td><code class="old">${shown(change.saved)}</code></td>
					<td><code class="new">${shown(change.running)}</code></td>
				</tr>`)}</tbody>
			</table>
		</div>`;
}
