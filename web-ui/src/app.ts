// The interface's frame: the session (login, then the forced password change), the tabs (hash routes), the
// running configuration shared by the tabs, and the banner shown while the running configuration differs from
// the saved one (Review changes → the diff; Save).
import { html } from 'htm/preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import iconUrl from './icon.svg';
import { api, setCsrfToken, whenUnauthenticated } from './api.js';
import { Dialog } from './components/dialog.js';
import { DiffTable, type ConfigDiff } from './components/diff-table.js';
import { language, setLanguage, t, type Language, type MessageKey } from './i18n/i18n.js';
import { tn } from './i18n/plural.js';
import { lazyPage } from './components/lazy-page.js';
import { DashboardPage } from './pages/dashboard.js';
import { LoginPage } from './pages/login.js';
import { FirstPasswordPage } from './pages/password.js';
import type { AppliedConfig, Config, Shell } from './shell.js';

// The dashboard is the landing page: in the first page. The other tabs are fetched (together) when one is first opened.
const laterTabs = () => import('./pages/later-tabs.js');
const NetworkPage = lazyPage(async () => (await laterTabs()).NetworkPage);
const ConfigPage = lazyPage(async () => (await laterTabs()).ConfigPage);
const ServicesPage = lazyPage(async () => (await laterTabs()).ServicesPage);
const SetupPage = lazyPage(async () => (await laterTabs()).SetupPage);
const CertificatesPage = lazyPage(async () => (await laterTabs()).CertificatesPage);
const AccessPage = lazyPage(async () => (await laterTabs()).AccessPage);
const ConfirmNetworkPage = lazyPage(async () => (await laterTabs()).ConfirmNetworkPage);

type Phase = 'loading' | 'login' | 'password' | 'app';

const tabs = [
	{ route: 'dashboard', label: 'tab.dashboard', page: DashboardPage },
	{ route: 'network', label: 'tab.network', page: NetworkPage },
	{ route: 'config', label: 'tab.config', page: ConfigPage },
	{ route: 'services', label: 'tab.services', page: ServicesPage },
	{ route: 'setup', label: 'tab.setup', page: SetupPage },
	{ route: 'certificates', label: 'tab.certificates', page: CertificatesPage },
	{ route: 'access', label: 'tab.access', page: AccessPage },
] as const satisfies readonly { route: string; label: MessageKey; page: unknown }[];

/** Pages no tab leads to: the confirmation of a moved address (the link a network change gives), under the network tab. */
const hiddenRoutes = [{ route: 'confirm-network', label: 'confirm.title', page: ConfirmNetworkPage, tab: 'network' }] as const;

const routeOf = () => {
	const wanted = location.hash.replace(/^#\/?/, '');
	const hidden = hiddenRoutes.find((entry) => entry.route === wanted);
	if (hidden !== undefined) return hidden;
	const tab = tabs.find((entry) => entry.route === wanted) ?? tabs[0];
	return { ...tab, tab: tab.route };
};

function PendingBanner(props: { readonly diff: ConfigDiff; readonly onSaved: () => void }) {
	const [reviewing, setReviewing] = useState(false);
	const [busy, setBusy] = useState(false);
	const [error, setError] = useState<string | null>(null);
	const save = async () => {
		setBusy(true);
		setError(null);
		try {
			await api('POST', '/api/v1/config/save');
			props.onSaved();
		} catch (failure) {
			setError((failure as Error).message);
		} finally {
			setBusy(false);
		}
	};
	return html`<div class="banner" role="region" aria-label=${t('banner.label')}>
		<p><span class="banner-word">${t('banner.word')}</span> ${tn('banner.text', props.diff.changes.length)}</p>
		<div class="banner-actions">
			<button type="button" class="secondary" onClick=${() => setReviewing(true)}>${t('banner.review')}</button>
			<button type="button" onClick=${save} disabled=${busy}>${t('banner.save')}</button>
		</div>
		${error ? html`<p class="form-error" role="alert">${error}</p>` : null}
		${reviewing ? html`<${Dialog} id="diff-dialog" title=${t('diff.title')} wide=${true} onClose=${() => setReviewing(false)}>
			<${DiffTable} diff=${props.diff} />
			<div class="dialog-actions"><button type="button" onClick=${async () => { await save(); setReviewing(false); }} disabled=${busy}>${t('banner.save')}</button></div>
		</${Dialog}>` : null}
	</div>`;
}

export function App() {
	const [phase, setPhase] = useState<Phase>('loading');
	const [config, setConfig] = useState<Config | null>(null);
	const [diff, setDiff] = useState<ConfigDiff | null>(null);
	const [route, setRoute] = useState(routeOf());
	const [, setShownLanguage] = useState<Language>(language());

	// Shown in `next` once its dictionary is here; if it cannot be fetched, the language shown stays.
	const useLanguage = (next: Language) => setLanguage(next).then(() => setShownLanguage(next), () => undefined);

	const reloadConfig = useCallback(async () => {
		const running = await api<Config>('GET', '/api/v1/config');
		await useLanguage(running.system.language);
		setConfig(running);
	}, []);

	const refreshDiff = useCallback(() => {
		api<ConfigDiff>('GET', '/api/v1/config/diff').then(setDiff, () => {});
	}, []);

	const enter = useCallback(async () => {
		await reloadConfig();
		refreshDiff();
		setPhase('app');
	}, []);

	useEffect(() => {
		document.documentElement.lang = language();
		whenUnauthenticated(() => {
			setCsrfToken(null);
			setPhase('login');
		});
		// The configuration is asked for beside the session (one round trip less); without a session it is refused, and ignored.
		const early = api<Config>('GET', '/api/v1/config', undefined, { quietUnauthenticated: true }).catch(() => null);
		api<{ passwordChangeRequired: boolean; csrfToken: string }>('GET', '/api/v1/session', undefined, { quietUnauthenticated: true }).then(async (session) => {
			setCsrfToken(session.csrfToken);
			if (session.passwordChangeRequired) return setPhase('password');
			const running = await early;
			if (running === null) return enter();
			await useLanguage(running.system.language);
			setConfig(running);
			refreshDiff();
			return setPhase('app');
		}, () => setPhase('login'));
		const follow = () => setRoute(routeOf());
		addEventListener('hashchange', follow);
		return () => removeEventListener('hashchange', follow);
	}, []);

	useEffect(() => {
		if (phase !== 'app') return undefined;
		const timer = setInterval(refreshDiff, 10_000);
		return () => clearInterval(timer);
	}, [phase]);

	useEffect(() => {
		document.title = `${t(route.label)} · exlb`;
		if (phase === 'app') document.getElementById('main')?.focus();
	}, [route, phase, language()]);

	const logout = async () => {
		try {
			await api('DELETE', '/api/v1/session');
		} finally {
			setCsrfToken(null);
			setPhase('login');
		}
	};

	if (phase === 'loading') return html`<p class="loading" role="status">${t('common.loading')}</p>`;
	if (phase === 'login') return html`<${LoginPage} onLoggedIn=${(required: boolean) => (required ? setPhase('password') : void enter())} />`;
	if (phase === 'password') return html`<${FirstPasswordPage} onChanged=${() => void enter()} onLogout=${logout} />`;
	if (config === null) return html`<p class="loading" role="status">${t('common.loading')}</p>`;

	const shell: Shell = {
		config,
		reloadConfig,
		refreshDiff,
		endSession: () => {
			setCsrfToken(null);
			setPhase('login');
		},
		patch: async (patch: unknown) => {
			const applied = await api<AppliedConfig>('PATCH', '/api/v1/config', patch, { mergePatch: true });
			setConfig(applied.config);
			void useLanguage(applied.config.system.language);
			refreshDiff();
			return applied;
		},
	};
	const Page = route.page;
	return html`<div class="app">
		<a class="skip" href="#main" onClick=${(event: Event) => { event.preventDefault(); document.getElementById('main')?.focus(); }}>${t('shell.skip')}</a>
		<header class="top">
			<div class="brand"><img src=${iconUrl} alt="" width="28" height="28" /><span>exlb</span><span class="host">${config.network.hostname}</span></div>
			<nav aria-label=${t('shell.tabs')}>
				<ul>${tabs.map((tab) => html`<li><a href=${`#/${tab.route}`} aria-current=${tab.route === route.tab ? 'page' : undefined}>${t(tab.label)}</a></li>`)}</ul>
			</nav>
			<button type="button" class="secondary logout" onClick=${logout}>${t('shell.logout')}</button>
		</header>
		${diff !== null && diff.changes.length > 0 ? html`<${PendingBanner} diff=${diff} onSaved=${refreshDiff} />` : null}
		<main id="main" tabindex="-1">
			<h1 class="page-title">${t(route.label)}</h1>
			<${Page} key=${route.route} shell=${shell} />
		</main>
	</div>`;
}
