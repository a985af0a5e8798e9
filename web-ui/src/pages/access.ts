// API tokens and sessions (ASVS 3.3.4): the account's logged-in sessions and the tokens scripts use, each revocable;
// a new token's secret is shown once.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { Static } from '@sinclair/typebox';
import type { TokenViewSchema } from '../../../services/engine/protocol.js';
import { api, ApiError } from '../api.js';
import { TextField } from '../components/fields.js';
import { usePoll } from '../components/use-poll.js';
import { formatDateTime } from '../format.js';
import { t } from '../i18n/i18n.js';
import type { Shell } from '../shell.js';

type TokenView = Static<typeof TokenViewSchema>;
interface SessionView {
	readonly id: string;
	readonly current: boolean;
	readonly address: string;
	readonly userAgent: string;
	readonly createdAt: string;
	readonly lastSeenAt: string;
	readonly expiresAt: string;
}

export function AccessPage(_props: { readonly shell: Shell }) {
	const tokens = usePoll(() => api<{ tokens: TokenView[] }>('GET', '/api/v1/tokens'), 30_000);
	const sessions = usePoll(() => api<{ sessions: SessionView[] }>('GET', '/api/v1/sessions'), 30_000);
	const [name, setName] = useState('');
	const [nameError, setNameError] = useState<string | undefined>(undefined);
	const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
	const [message, setMessage] = useState<string | null>(null);
	const create = async (event: Event) => {
		event.preventDefault();
		setNameError(undefined);
		try {
			const made = await api<{ token: TokenView; secret: string }>('POST', '/api/v1/tokens', { name: name.trim() });
			setSecret({ name: made.token.name, secret: made.secret });
			setName('');
			tokens.refresh();
		} catch (failure) {
			const problem = failure as ApiError;
			setNameError(problem.errors.find((entry) => entry.path.endsWith('name'))?.message ?? problem.message);
			document.getElementById('token-name')?.focus();
		}
	};
	const revoke = async (path: string, refresh: () => void) => {
		try {
			await api('DELETE', path);
			setMessage(t('access.revoked'));
			refresh();
		} catch (failure) {
			setMessage((failure as Error).message);
		}
	};
	return html`<div class="areas">
		<section class="area" aria-labelledby="sessions-title">
			<h2 id="sessions-title">${t('access.sessions')}</h2>
			${message ? html`<p class="notice" role="status">${message}</p>` : null}
			${sessions.data === null ? html`<p class="loading" role="status">${t('common.loading')}</p>` : html`<div class="table-scroll" role="region" aria-label=${t('access.sessions')} tabindex="0"><table>
				<thead><tr><th scope="col">${t('access.address')}</th><th scope="col">${t('access.browser')}</th><th scope="col">${t('access.since')}</th><th scope="col">${t('access.lastSeen')}</th><th scope="col">${t('access.expires')}</th><th scope="col"><span class="visually-hidden">${t('services.actions')}</span></th></tr></thead>
				<tbody>${sessions.data.sessions.map((session) => html`<tr>
					<td>${session.address}${session.current ? html` <strong>(${t('access.thisOne')})</strong>` : null}</td>
					<td class="user-agent">${session.userAgent}</td>
					<td>${formatDateTime(session.createdAt)}</td><td>${formatDateTime(session.lastSeenAt)}</td><td>${formatDateTime(session.expiresAt)}</td>
					<td><button type="button" class="small secondary" onClick=${() => revoke(`/api/v1/sessions/${encodeURIComponent(session.id)}`, sessions.refresh)}
						aria-label=${t(session.current ? 'access.revokeThisSession' : 'access.revokeSession', { address: session.address, since: formatDateTime(session.createdAt) })}>${t('access.revoke')}</button></td>
				</tr>`)}</tbody>
			</table></div>`}
		</section>
		<section class="area" aria-labelledby="tokens-title">
			<h2 id="tokens-title">${t('access.tokens')}</h2>
			<p class="hint">${t('access.tokensHint')}</p>
			${tokens.data === null ? html`<p class="loading" role="status">${t('common.loading')}</p>` : tokens.data.tokens.length === 0 ? html`<p>${t('access.noTokens')}</p>` : html`<div class="table-scroll" role="region" aria-label=${t('access.tokens')} tabindex="0"><table>
				<thead><tr><th scope="col">${t('access.tokenName')}</th><th scope="col">${t('access.created')}</th><th scope="col">${t('access.lastUsed')}</th><th scope="col"><span class="visually-hidden">${t('services.actions')}</span></th></tr></thead>
				<tbody>${tokens.data.tokens.map((token) => html`<tr>
					<td>${token.name}</td><td>${formatDateTime(token.created)}</td><td>${token.lastUsed === null ? t('access.never') : formatDateTime(token.lastUsed)}</td>
					<td><button type="button" class="small secondary" onClick=${() => revoke(`/api/v1/tokens/${encodeURIComponent(token.id)}`, tokens.refresh)}
						aria-label=${t('access.revokeToken', { name: token.name })}>${t('access.revoke')}</button></td>
				</tr>`)}</tbody>
			</table></div>`}
			<form onSubmit=${create} novalidate>
				<${TextField} id="token-name" label=${t('access.newToken')} value=${name} onInput=${setName} error=${nameError} hint=${t('access.newTokenHint')} />
				<button type="submit">${t('access.create')}</button>
			</form>
			${secret ? html`<div class="secret" role="status">
				<p>${t('access.secretOnce', { name: secret.name })}</p>
				<label for="token-secret">${t('access.secret')}</label>
				<input id="token-secret" type="text" readonly value=${secret.secret} onFocus=${(event: Event) => (event.currentTarget as HTMLInputElement).select()} />
			</div>` : null}
		</section>
	</div>`;
}
