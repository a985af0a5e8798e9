// The browser interface's entry: the stylesheet (bundled apart by esbuild) and the app mounted on #app.
import './styles.css';
import { h, render } from 'preact';
import { App } from './app.js';

const root = document.getElementById('app');
if (root !== null) render(h(App, null), root);
