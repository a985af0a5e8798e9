// A dialog that asks for the password again before an action that cannot be undone (power-off, factory reset, the
// firmware's changes): a wrong password is shown at the field, which gets the focus back.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, type ApiError } from '../api.js';
import { Dialog } from './dialog.js';
import { PasswordField } from './fields.js';
import { t } from '../i18n/i18n.js';

/** `body`: what else to send; `onDone` gets the answer. */
export function ReauthDialog(props: {
	readonly id: string; readonly title: string; readonly text: string; readonly action: string; readonly path: string;
	readonly body?: Readonly<Record<string, unknown>>; readonly onDone: (answer: unknown) => void; readonly onClose: () => void;
}) {
	const [password, setPassword] = useState('');
	const [error, setError] = useState<string | undefined>(undefined);
	const [busy, setBusy] = useState(false);
	const submit = async (event: Event) => {
		event.preventDefault();
		setBusy(true);
		try {
			props.onDone(await api('POST', props.path, { ...props.body, password }));
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

