import test from 'ava';
import { defaultConfig, type Config } from '../../../services/config/schema.js';
import { renderAll, localRenderEnv } from '../../../services/render/index.js';

const env = localRenderEnv('/tmp/exlb-unit', { interface: 'eth0', bindAddress: '' });

function render(mutate: (config: Config) => void) {
	const config = defaultConfig();
	config.casServers = ['10.0.0.1'];
	mutate(config);
	return renderAll(config, env);
}

test('no offloaded service: no stunnel file; no HA: no keepalived.conf', (t) => {
	const files = render(() => {});
	t.deepEqual(files.stunnel, {});
	t.is(files['keepalived.conf'], null);
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

test('keepalived: VRRP with the cluster id, role priority, VIP on the (VLAN) interface, haproxy tracked', (t) => {
	const master = render((config) => { config.ha.role = 'master'; config.ha.vip = '192.168.0.201'; config.ha.clusterId = 77; })['keepalived.conf']!;
	t.regex(master, /state MASTER\n    interface eth0\n    virtual_router_id 77\n    priority 150/);
	t.regex(master, /192\.168\.0\.201\/24 dev eth0/);
	t.regex(master, /vrrp_script track_haproxy \{\n    script "\/usr\/bin\/pgrep -F \/tmp\/exlb-unit\/haproxy\.pid haproxy"/);
	t.regex(master, /track_script \{\n        track_haproxy/);
	t.regex(master, /garp_master_refresh 60/);
	const backup = render((config) => { config.ha.role = 'backup'; config.ha.vip = '192.168.0.201'; config.network.vlan = 12; })['keepalived.conf']!;
	t.regex(backup, /state BACKUP\n    interface vlan12\n    virtual_router_id 51\n    priority 100/);
	t.regex(backup, /192\.168\.0\.201\/24 dev vlan12/);
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
