import test from 'ava';
import { renderWith as render } from './render-with.js';

test('stunnel logs once, to stderr (the journal through its unit), not to syslog as well', (t) => {
	const conf = render((config) => { config.http.mode = 'ssl-offload'; }).stunnel['stunnel-https.conf']!;
	t.regex(conf, /^foreground = yes\n(.*\n){0,3}syslog = no$/m);
});
