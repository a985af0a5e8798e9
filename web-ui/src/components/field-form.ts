// A small form outside an Area (a dialog, the backup, the pairing): its busy state, the API's field errors put on its
// fields (ids `prefix-field`, form-wide ones on `prefix-form`), the focus moved to the first one, and the form-wide
// error shown by FormError (form-error.ts).
import { useState } from 'preact/hooks';
import { errorsOf, focusFirst, type Errors } from './form-errors.js';

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
