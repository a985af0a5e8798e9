// Where the link of an address change leads: opened at the new address (after the login), it confirms the change
// there, so the appliance keeps it instead of rolling it back when the window closes.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { t } from '../i18n/i18n.js';
import type { Shell } from '../shell.js';

export function ConfirmNetworkPage(props: { readonly shell: Shell }) {
	const [outcome, setOutcome] = useState<{ text: string; error: boolean } | null>(null);
	useEffect(() => {
		api<{ confirmed: boolean }>('POST', '/api/v1/network/confirm').then((answer) => {
			setOutcome({ text: answer.confirmed ? t('confirm.done') : t('confirm.nothing'), error: false });
			if (answer.confirmed) props.shell.refreshDiff();
		}, (failure: unknown) => setOutcome({ text: (failure as ApiError).message, error: true }));
	}, []);
	return html`<section class="area" aria-labelledby="confirm-title">
		<h2 id="confirm-title">${t('confirm.title')}</h2>
		${outcome === null ? html`<p class="loading" role="status">${t('confirm.busy')}</p>`
			: html`<p class=${outcome.error ? 'form-error' : 'notice'} role=${outcome.error ? 'alert' : 'status'}>${outcome.text}</p>`}
		<p><a href="#/network">${t('confirm.toNetwork')}</a></p>
	</section>`;
}
