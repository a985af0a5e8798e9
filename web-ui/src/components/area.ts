// One area of a tab, as in the original: its fields, and VALIDATE (apply this area to the running configuration)
// and CANCEL (back to what is in force). A refusal shows each error next to its field (the API's path is the
// field's id) and moves the focus to the first one; errors about no field of the area are listed at its top.
import { html } from 'htm/preact';
import type { ComponentChild, ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { FieldError } from '../api.js';
import { t } from '../i18n/i18n.js';

export interface AreaProps {
	readonly id: string;
	readonly title: string;
	readonly children: ComponentChildren;
	readonly onValidate: () => void;
	readonly onCancel: () => void;
	readonly busy: boolean;
	readonly dirty: boolean;
	/** Errors no field of the area shows. */
	readonly errors: readonly FieldError[];
	/** Changes each time the area's errors are set, so the focus moves again for the same errors. */
	readonly errorRound: number;
	readonly notice?: ComponentChild;
	readonly validateLabel?: string;
}

export function Area(props: AreaProps) {
	const form = useRef<HTMLFormElement>(null);
	useEffect(() => {
		if (props.errorRound === 0 || form.current === null) return;
		const first = form.current.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form.current.querySelector<HTMLElement>('.area-errors');
		first?.focus();
	}, [props.errorRound]);
	return html`<section class="area" aria-labelledby=${`${props.id}-title`}>
		<h2 id=${`${props.id}-title`}>${props.title}</h2>
		<form ref=${form} novalidate onSubmit=${(event: Event) => { event.preventDefault(); props.onValidate(); }}>
			${props.errors.length > 0 ? html`<div class="area-errors" role="alert" tabindex="-1">
				<p><span class="error-word">${t('common.error')}</span> ${t('area.refused')}</p>
				<ul>${props.errors.map((error) => html`<li>${error.path ? html`<code>${error.path}</code> ` : null}${error.message}</li>`)}</ul>
			</div>` : null}
			${props.children}
			<div class="area-actions">
				<button type="submit" disabled=${props.busy}>${props.busy ? t('area.validating') : (props.validateLabel ?? t('area.validate'))}</button>
				<button type="button" class="secondary" disabled=${props.busy || !props.dirty} onClick=${props.onCancel}>${t('area.cancel')}</button>
				${props.notice ? html`<p class="notice" role="status">${props.notice}</p>` : null}
			</div>
		</form>
	</section>`;
}
