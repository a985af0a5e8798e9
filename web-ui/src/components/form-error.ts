// A form-wide error (no field named): a focusable alert, so the focus can move to it like to a field.
import { html } from 'htm/preact';
import { t } from '../i18n/i18n.js';

export function FormError(props: { readonly id: string; readonly error: string | undefined }) {
	return props.error ? html`<p id=${props.id} class="form-error" role="alert" tabindex="-1"><span class="error-word">${t('common.error')}</span> ${props.error}</p>` : null;
}
