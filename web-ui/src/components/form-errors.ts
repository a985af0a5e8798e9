// The API's field errors for a small form outside an Area (certificates, backup, restore, revert): each error put on
// the form's field its `path` names (ids are `prefix-field`), and the focus moved to the first field in error.
import { ApiError } from '../api.js';

export type Errors = Record<string, string>;

/**
 * `failure`'s errors by field id. An error that names none of `fields` goes to `general` when given (a message of
 * the whole form, e.g. a daemon's refusal of a restored configuration), else to the first field.
 */
export function errorsOf(failure: unknown, prefix: string, fields: readonly string[], general?: string): Errors {
	const problem = failure instanceof ApiError ? failure : new ApiError(0, 'failed', String(failure), [], null);
	const found: Errors = {};
	for (const entry of problem.errors) {
		const field = fields.find((name) => entry.path === name || entry.path.endsWith(`.${name}`));
		if (field !== undefined || general === undefined) {
			found[`${prefix}-${field ?? fields[0]}`] ??= entry.message;
			continue;
		}
		const text = entry.path === '' ? entry.message : `${entry.path}: ${entry.message}`;
		found[general] = found[general] === undefined ? text : `${found[general]}; ${text}`;
	}
	if (Object.keys(found).length === 0) found[general ?? `${prefix}-${fields[0]}`] = problem.message;
	return found;
}

export function focusFirst(errors: Errors, order: readonly string[]): void {
	const first = order.find((id) => errors[id] !== undefined);
	if (first !== undefined) document.getElementById(first)?.focus();
}
