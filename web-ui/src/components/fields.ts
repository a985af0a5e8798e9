// Form fields with their label, hint and error: real <input>/<select> elements, the error tied to the field with
// aria-describedby and aria-invalid (the Area moves the focus to the first one). Ids are the configuration's field
// paths ("http.casHttpPort"), the same the API names in its errors.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n/i18n.js';

export interface FieldProps {
	readonly id: string;
	readonly label: string;
	readonly error?: string | undefined;
	readonly hint?: string | undefined;
	/** Ids of other text that describes the field (a rule stated above the form). */
	readonly describedBy?: string | undefined;
}

const describedBy = (props: FieldProps) => [props.describedBy ?? '', props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : ''].filter(Boolean).join(' ') || undefined;

function Messages(props: FieldProps) {
	return html`
		${props.hint ? html`<p class="hint" id=${`${props.id}-hint`}>${props.hint}</p>` : null}
		${props.error ? html`<p class="field-error" id=${`${props.id}-error`}><span class="error-word">${t('common.error')}</span> ${props.error}</p>` : null}`;
}

export function TextField(props: FieldProps & {
	readonly value: string;
	readonly onInput: (value: string) => void;
	readonly type?: string;
	readonly inputMode?: string;
	readonly autocomplete?: string;
	readonly placeholder?: string;
	readonly required?: boolean;
	readonly readOnly?: boolean;
}) {
	return html`<div class=${`field${props.error ? ' has-error' : ''}`}>
		<label for=${props.id}>${props.label}</label>
		<input id=${props.id} name=${props.id} type=${props.type ?? 'text'} value=${props.value} inputmode=${props.inputMode}
			autocomplete=${props.autocomplete ?? 'off'} placeholder=${props.placeholder} required=${props.required} readonly=${props.readOnly}
			spellcheck=${false} aria-invalid=${props.error ? 'true' : undefined} aria-describedby=${describedBy(props)}
			onInput=${(event: Event) => props.onInput((event.currentTarget as HTMLInputElement).value)} />
		<${Messages} ...${props} />
	</div>`;
}

/** A password input with a "show" toggle; paste is never blocked. */
export function PasswordField(props: FieldProps & { readonly value: string; readonly onInput: (value: string) => void; readonly autocomplete: string }) {
	const [shown, setShown] = useState(false);
	return html`<div class=${`field${props.error ? ' has-error' : ''}`}>
		<label for=${props.id}>${props.label}</label>
		<div class="password-row">
			<input id=${props.id} name=${props.id} type=${shown ? 'text' : 'password'} value=${props.value} autocomplete=${props.autocomplete}
				spellcheck=${false} autocapitalize="off" aria-invalid=${props.error ? 'true' : undefined} aria-describedby=${describedBy(props)}
				onInput=${(event: Event) => props.onInput((event.currentTarget as HTMLInputElement).value)} />
			<button type="button" class="secondary" aria-pressed=${shown} aria-controls=${props.id} onClick=${() => setShown(!shown)}>
				${shown ? t('password.hide') : t('password.show')}
			</button>
		</div>
		<${Messages} ...${props} />
	</div>`;
}

export interface Choice {
	readonly value: string;
	readonly label: string;
}

export function SelectField(props: FieldProps & { readonly value: string; readonly choices: readonly Choice[]; readonly onChange: (value: string) => void }) {
	return html`<div class=${`field${props.error ? ' has-error' : ''}`}>
		<label for=${props.id}>${props.label}</label>
		<select id=${props.id} name=${props.id} aria-invalid=${props.error ? 'true' : undefined} aria-describedby=${describedBy(props)}
			onChange=${(event: Event) => props.onChange((event.currentTarget as HTMLSelectElement).value)}>
			${props.choices.map((choice) => html`<option value=${choice.value} selected=${choice.value === props.value}>${choice.label}</option>`)}
		</select>
		<${Messages} ...${props} />
	</div>`;
}

export function CheckField(props: FieldProps & { readonly checked: boolean; readonly onChange: (checked: boolean) => void }) {
	return html`<div class=${`field check${props.error ? ' has-error' : ''}`}>
		<input id=${props.id} name=${props.id} type="checkbox" checked=${props.checked} aria-invalid=${props.error ? 'true' : undefined} aria-describedby=${describedBy(props)}
			onChange=${(event: Event) => props.onChange((event.currentTarget as HTMLInputElement).checked)} />
		<label for=${props.id}>${props.label}</label>
		<${Messages} ...${props} />
	</div>`;
}

/** `file`: the file the form holds; when the form lets it go (validated, cancelled), the input is emptied too. */
export function FileField(props: FieldProps & { readonly accept: string; readonly file: File | null; readonly onChange: (file: File | null) => void }) {
	const input = useRef<HTMLInputElement>(null);
	useEffect(() => {
		if (props.file === null && input.current !== null) input.current.value = '';
	}, [props.file]);
	return html`<div class=${`field${props.error ? ' has-error' : ''}`}>
		<label for=${props.id}>${props.label}</label>
		<input ref=${input} id=${props.id} name=${props.id} type="file" accept=${props.accept} aria-invalid=${props.error ? 'true' : undefined} aria-describedby=${describedBy(props)}
			onChange=${(event: Event) => props.onChange((event.currentTarget as HTMLInputElement).files?.[0] ?? null)} />
		<${Messages} ...${props} />
	</div>`;
}

export interface RadioChoice extends Choice {
	/** What choosing it does, shown under it and tied to its input. */
	readonly hint?: string;
}

/** Radio buttons in a fieldset whose legend is the question; each input has its label and, optionally, its hint. */
export function RadioGroup(props: { readonly id: string; readonly legend: string; readonly value: string; readonly choices: readonly RadioChoice[]; readonly onChange: (value: string) => void }) {
	return html`<fieldset id=${props.id} class="radio-group"><legend>${props.legend}</legend>
		${props.choices.map((choice) => {
			const id = `${props.id}-${choice.value}`;
			return html`<div class="field check">
				<input id=${id} name=${props.id} type="radio" value=${choice.value} checked=${choice.value === props.value}
					aria-describedby=${choice.hint ? `${id}-hint` : undefined} onChange=${() => props.onChange(choice.value)} />
				<label for=${id}>${choice.label}</label>
				${choice.hint ? html`<p class="hint" id=${`${id}-hint`}>${choice.hint}</p>` : null}
			</div>`;
		})}
	</fieldset>`;
}
