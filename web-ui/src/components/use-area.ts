// The state of one area's form: a draft made from the running configuration (back to it on CANCEL, and whenever the
// configuration changes), the submit in progress, and the API's field errors sorted into those a visible field
// shows and those listed at the area's top.
import type { ComponentChild } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type FieldError } from '../api.js';
import { t } from '../i18n/i18n.js';

export interface AreaState<D> {
	readonly draft: D;
	readonly set: (change: (draft: D) => D) => void;
	readonly busy: boolean;
	readonly dirty: boolean;
	readonly errorOf: (id: string) => string | undefined;
	readonly areaErrors: readonly FieldError[];
	readonly errorRound: number;
	readonly notice: ComponentChild;
	readonly validate: () => void;
	readonly cancel: () => void;
	/** The ids of the fields rendered now (errors for other paths go to the area's list). */
	readonly showing: (ids: readonly string[]) => void;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * `submit` applies the draft (throws the API's error when refused) and answers the notice to show; `fieldOf` turns
 * an API path into the id of the field that shows it (default: the same).
 */
export function useArea<D>(source: D, submit: (draft: D) => Promise<ComponentChild>, fieldOf: (path: string) => string = (path) => path): AreaState<D> {
	const [draft, setDraft] = useState<D>(source);
	const [busy, setBusy] = useState(false);
	const [fieldErrors, setFieldErrors] = useState<ReadonlyMap<string, string>>(new Map());
	const [areaErrors, setAreaErrors] = useState<readonly FieldError[]>([]);
	const [errorRound, setErrorRound] = useState(0);
	const [notice, setNotice] = useState<ComponentChild>(null);
	const visible = useRef<readonly string[]>([]);
	const sourceText = JSON.stringify(source);
	useEffect(() => setDraft(source), [sourceText]);

	const clearErrors = () => {
		setFieldErrors(new Map());
		setAreaErrors([]);
	};

	const validate = () => {
		setBusy(true);
		setNotice(null);
		submit(draft).then((message) => {
			clearErrors();
			setNotice(message);
		}, (error: unknown) => {
			const problem = error instanceof ApiError ? error : new ApiError(0, 'failed', String(error), [], null);
			const byField = new Map<string, string>();
			const unplaced: FieldError[] = [];
			for (const entry of problem.errors) {
				const id = fieldOf(entry.path);
				if (visible.current.includes(id) && !byField.has(id)) byField.set(id, entry.message);
				else unplaced.push(entry);
			}
			if (byField.size === 0 && unplaced.length === 0) unplaced.push({ path: '', message: problem.message });
			setFieldErrors(byField);
			setAreaErrors(unplaced);
			setErrorRound((round) => round + 1);
		}).finally(() => setBusy(false));
	};

	return {
		draft,
		set: (change) => {
			setNotice(null);
			setDraft((previous) => change(previous));
		},
		busy,
		dirty: !same(draft, source),
		errorOf: (id) => fieldErrors.get(id),
		areaErrors,
		errorRound,
		notice,
		validate,
		cancel: () => {
			setDraft(source);
			clearErrors();
			setNotice(t('area.cancelled'));
		},
		showing: (ids) => {
			visible.current = ids;
		},
	};
}

/** A port, timeout or id typed as text: a whole number when it is one, else the text itself (the API names the field). */
export function numberOrText(value: string): number | string {
	const trimmed = value.trim();
	return /^\d{1,9}$/.test(trimmed) ? Number(trimmed) : trimmed;
}
