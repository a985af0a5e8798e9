// A small form outside an Area (a dialog, the backup, the pairing): its busy state, the API's field errors put on its
// fields (ids `prefix-field`, form-wide ones on `prefix-form`), the focus moved to the first one, and the form-wide
// error as a focusable alert.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { errorsOf, focusFirst, type Errors } from './form-errors.js';
import { t } from '../i18n/i18n.js';

/** A form-wide error (no field named): a focusable alert, so the focus can move to it like to a field. */
export function FormError(props: { readonly id: string; readonly error: string | undefined }) {
	return props.error ? html`<p id=${props.id} class="form-error" role="alert" tabindex="-1"><span class="error-word">${t('common.error')}</span> ${props.error}</p>` : null;
}

export interface FieldForm {
	readonly errors: Errors;
	readonly busy: boolean;
	/** The id of the form-wide error (`prefix-form`). */
	readonly general: string;
	/** Runs `work` (a refusal becomes the errors), busy meanwhile. */
	readonly run: (work: () => Promise<void>) => Promise<void>;
}

export function useFieldForm(prefix: string, fields: readonly string[]): FieldForm {
	const [errors, setErrors] = useState<Errors>({});
	const [busy, setBusy] = useState(false);
	const general = `${prefix}-form`;
	const run = async (work: () => Promise<void>) => {
		setBusy(true);
		let found: Errors = {};
		try {
			await work();
		} catch (failure) {
			found = errorsOf(failure, prefix, fields, general);
		} finally {
			setBusy(false);
		}
		setErrors(found);
		focusFirst(found, [general, ...fields.map((field) => `${prefix}-${field}`)]);
	};
	return { errors, busy, general, run };
}
