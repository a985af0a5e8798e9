// Choosing a new admin password: the rule said before it can be broken (12 to 128 characters, anything, not a
// common password), a live count, "show password", paste allowed; the API's refusal shown next to its field.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { t } from '../i18n/i18n.js';
import { tn } from '../i18n/plural.js';
import { PasswordField } from './fields.js';

export const minimumPasswordLength = 12;

export function PasswordChangeForm(props: { readonly idPrefix: string; readonly onChanged: () => void; readonly submitLabel: string }) {
	const [current, setCurrent] = useState('');
	const [next, setNext] = useState('');
	const [again, setAgain] = useState('');
	const [errors, setErrors] = useState<Record<string, string>>({});
	const [done, setDone] = useState(false);
	const [busy, setBusy] = useState(false);
	const id = (name: string) => `${props.idPrefix}-${name}`;
	const length = [...next].length;
	const submit = async (event: Event) => {
		event.preventDefault();
		setDone(false);
		const found: Record<string, string> = {};
		if (length < minimumPasswordLength) found.new = tn('password.tooShort', length, { min: minimumPasswordLength });
		else if (next !== again) found.again = t('password.mismatch');
		if (Object.keys(found).length === 0) {
			setBusy(true);
			try {
				await api('PUT', '/api/v1/account/password', { current, new: next });
				setCurrent('');
				setNext('');
				setAgain('');
				setDone(true);
				props.onChanged();
			} catch (failure) {
				const problem = failure as ApiError;
				const onCurrent = problem.status === 401 || problem.status === 403 || problem.errors.some((entry) => entry.path === 'current');
				if (problem.status === 429) found.current = t('login.tooMany', { seconds: problem.retryAfterSeconds ?? 1 });
				else if (onCurrent) found.current = t('password.currentWrong');
				else found.new = problem.errors.find((entry) => entry.path === 'new')?.message ?? problem.message;
			} finally {
				setBusy(false);
			}
		}
		setErrors(found);
		const first = ['current', 'new', 'again'].find((name) => found[name] !== undefined);
		if (first !== undefined) document.getElementById(id(first))?.focus();
	};
	return html`<form onSubmit=${submit} novalidate class="password-form">
		<p class="rule" id=${id('rule')}>${t('password.rule', { min: minimumPasswordLength })}</p>
		<${PasswordField} id=${id('current')} label=${t('password.current')} value=${current} onInput=${setCurrent} autocomplete="current-password" error=${errors.current} />
		<${PasswordField} id=${id('new')} label=${t('password.new')} value=${next} onInput=${setNext} autocomplete="new-password" error=${errors.new} describedBy=${id('rule')}
			hint=${tn('password.count', length, { min: minimumPasswordLength })} />
		<${PasswordField} id=${id('again')} label=${t('password.again')} value=${again} onInput=${setAgain} autocomplete="new-password" error=${errors.again} />
		<button type="submit" disabled=${busy}>${props.submitLabel}</button>
		${done ? html`<p class="notice" role="status">${t('password.changed')}</p>` : null}
	</form>`;
}
