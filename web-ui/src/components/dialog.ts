// A modal dialog on the native <dialog> (focus kept inside, Escape closes it, the focus goes back where it was).
import { html } from 'htm/preact';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n/i18n.js';

export function Dialog(props: { readonly id: string; readonly title: string; readonly onClose: () => void; readonly children: ComponentChildren; readonly wide?: boolean }) {
	const dialog = useRef<HTMLDialogElement>(null);
	useEffect(() => {
		const element = dialog.current;
		const opener = document.activeElement as HTMLElement | null;
		element?.showModal();
		return () => {
			element?.close();
			opener?.focus();
		};
	}, []);
	return html`<dialog ref=${dialog} id=${props.id} class=${props.wide ? 'wide' : ''} aria-labelledby=${`${props.id}-title`}
		onCancel=${(event: Event) => { event.preventDefault(); props.onClose(); }}>
		<div class="dialog-head">
			<h2 id=${`${props.id}-title`}>${props.title}</h2>
			<button type="button" class="secondary" onClick=${props.onClose}>${t('common.close')}</button>
		</div>
		${props.children}
	</dialog>`;
}
