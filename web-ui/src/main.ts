// The browser interface's entry: the stylesheet (bundled apart by esbuild) and the app mounted on #app.
import './styles.css';
import { h, render } from 'preact';
import { App } from './app.js';
import { language, loadLanguage } from './i18n/i18n.js';

const root = document.getElementById('app');
// The language last used here first (French is fetched apart); if it cannot be fetched, the page is shown in English.
if (root !== null) void loadLanguage(language()).catch(() => undefined).then(() => render(h(App, null), root));
