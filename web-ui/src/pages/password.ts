// The forced first password change: until it is done the API answers nothing else.
import { html } from 'htm/preact';
import { PasswordChangeForm } from '../components/password-change.js';
import { t } from '../i18n/i18n.js';

export function FirstPasswordPage(props: { readonly onChanged: () => void; readonly onLogout: () => void }) {
	return html`<main class="login" id="main">
		<div class="card">
			<h1>${t('firstPassword.title')}</h1>
			<p>${t('firstPassword.intro')}</p>
			<${PasswordChangeForm} idPrefix="first" onChanged=${props.onChanged} submitLabel=${t('firstPassword.submit')} />
			<p><button type="button" class="link" onClick=${props.onLogout}>${t('shell.logout')}</button></p>
		</div>
	</main>`;
}
