import test from 'ava';
import { renderWith as render } from './render-with.js';

test('no offloaded service: no stunnel file', (t) => {
	t.deepEqual(render(() => {}).stunnel, {});
});

test('stunnel: one process (file) per offloaded service, PROXY protocol to haproxy\'s unix socket', (t) => {
	const files = render((config) => {
		config.http.mode = 'ssl-offload';
		config.imap.mode = 'ssl-offload';
		config.smtp.mode = 'clear-and-ssl-forward';
	}).stunnel;
	t.deepEqual(Object.keys(files), ['stunnel-https.conf', 'stunnel-imaps.conf'], 'ssl-forward is not terminated');
	const conf = files['stunnel-https.conf']! + files['stunnel-imaps.conf']!;
	t.regex(conf, /^foreground = yes$/m);
	t.regex(conf, /^\[https\]\n; certificate: generated for mail\.example\.com\naccept = 443\nconnect = \/tmp\/exlb-unit\/sockets\/tls-https\.sock\nprotocol = proxy\ncert = \/tmp\/exlb-unit\/certs\/self-signed\.pem$/m);
	t.regex(conf, /^\[imaps\]\n; certificate: generated for mail\.example\.com\naccept = 993\n/m);
	t.regex(conf, /^sslVersionMin = TLSv1\.2\ndebug = warning$/m, 'no log line per connection');
	t.notRegex(conf, /TIMEOUTidle/, 'idle timeouts are haproxy\'s: a timeout change does not reload stunnel');
});

test('a stunnel file changes when the certificate behind a name changes (so apply reloads stunnel)', (t) => {
	const cert = { name: 'corp', commonName: 'mail.example.com', notBefore: '2024-01-01T00:00:00Z', notAfter: '2099-01-01T00:00:00Z', selfSigned: false, fingerprint: Array(32).fill('AB').join(':') };
	const withFingerprint = (fingerprint: string) => render((config) => {
		config.http.mode = 'ssl-offload';
		config.http.certificate = 'corp';
		config.certificates = [{ ...cert, fingerprint }];
	}).stunnel['stunnel-https.conf'];
	t.not(withFingerprint(cert.fingerprint), withFingerprint(Array(32).fill('CD').join(':')));
	const selfSigned = (hostName: string) => render((config) => { config.http.mode = 'ssl-offload'; config.http.hostName = hostName; }).stunnel['stunnel-https.conf'];
	t.not(selfSigned('a.example.com'), selfSigned('b.example.com'));
});
