// The login form (admin/admin until the password is changed; the API slows down repeated failures).
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, ApiError, setCsrfToken } from '../api.js';
import { PasswordField, TextField } from '../components/fields.js';
import { t } from '../i18n/i18n.js';

export function LoginPage(props: { readonly onLoggedIn: (passwordChangeRequired: boolean) => void }) {
	const [username, setUsername] = useState('admin');
	const [password, setPassword] = useState('');
	const [error, setError] = useState<string | null>(null);
	const [busy, setBusy] = useState(false);
	const submit = async (event: Event) => {
		event.preventDefault();
		setBusy(true);
		setError(null);
		try {
			const answer = await api<{ passwordChangeRequired: boolean; csrfToken: string }>('POST', '/api/v1/session', { username, password }, { quietUnauthenticated: true });
			setCsrfToken(answer.csrfToken);
			props.onLoggedIn(answer.passwordChangeRequired);
		} catch (failure) {
			const problem = failure as ApiError;
			setError(problem.status === 401 ? t('login.wrong')
				: problem.status === 429 ? t('login.tooMany', { seconds: problem.retryAfterSeconds ?? 1 })
				: problem.message);
			document.getElementById('password')?.focus();
		} finally {
			setBusy(false);
		}
	};
	return html`<main class="login" id="main">
		<form class="card" onSubmit=${submit} novalidate>
			<h1>${t('login.title')}</h1>
			<p>${t('login.intro')}</p>
			${error ? html`<p class="form-error" role="alert"><span class="error-word">${t('common.error')}</span> ${error}</p>` : null}
			<${TextField} id="username" label=${t('login.username')} value=${username} onInput=${setUsername} autocomplete="username" />
			<${PasswordField} id="password" label=${t('login.password')} value=${password} onInput=${setPassword} autocomplete="current-password" />
			<button type="submit" disabled=${busy}>${busy ? t('login.busy') : t('login.submit')}</button>
		</form>
	</main>`;
}
