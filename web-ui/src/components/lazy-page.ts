// A page fetched the first time it is shown (esbuild's code splitting: the first page carries only the login, the
// password change and the dashboard); fetched once, then kept; a failed fetch is said, and tried again next time.
import { h, type ComponentType } from 'preact';
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n/i18n.js';

export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
	let page: ComponentType<P> | undefined;
	let loading: Promise<ComponentType<P>> | undefined;
	return function LazyPage(props: P) {
		const [, setLoaded] = useState(false);
		const [failed, setFailed] = useState(false);
		useEffect(() => {
			if (page !== undefined) return undefined;
			let shown = true;
			loading ??= load();
			loading.then((loadedPage) => {
				page = loadedPage;
				if (shown) setLoaded(true);
			}, () => {
				loading = undefined; // the next visit tries again
				if (shown) setFailed(true);
			});
			return () => {
				shown = false;
			};
		}, []);
		if (page !== undefined) return h(page, props);
		if (failed) return html`<p class="form-error" role="alert">${t('common.pageUnavailable')}</p>`;
		return html`<p class="loading" role="status">${t('common.loading')}</p>`;
	};
}
