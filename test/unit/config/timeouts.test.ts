// Timeouts the protocols need: http.timeout refused below what OWA/ECP/OAB/Autodiscover need; mail and RPC
// timeouts warned about below their protocol's own idle period.
import test from 'ava';
import { errorsOf, warningsOf } from './issues-of.js';

const withCas = ['10.0.0.1'];

test('http.timeout below 10 s is refused, naming the field, the value and the minimum', (t) => {
	t.deepEqual(errorsOf((config) => { config.http.timeout = 9; }), ['http.timeout: 9 s would cut OWA, ECP, OAB and Autodiscover answers a busy CAS takes seconds to send (at least 10)']);
	t.deepEqual(errorsOf((config) => { config.http.timeout = 1; config.http.mode = 'ssl-offload'; }).length, 1);
	t.deepEqual(errorsOf((config) => { config.http.timeout = 10; }), []);
});

test('a long http.timeout is kept with a warning: the long-lived services no longer need it', (t) => {
	t.deepEqual(warningsOf((config) => { config.casServers = withCas; config.http.timeout = 300; }), []);
	const [warning, ...rest] = warningsOf((config) => { config.casServers = withCas; config.http.timeout = 3600; });
	t.deepEqual(rest, []);
	t.regex(warning!, /^http\.timeout: keeps idle OWA, ECP, OAB and Autodiscover connections 3600 s; Outlook Anywhere, MAPI, EWS and ActiveSync no longer need it/);
});

test('mail and RPC timeouts below the protocol\'s idle period are warned about, naming the protocol rule', (t) => {
	const warnings = warningsOf((config) => {
		config.casServers = withCas;
		config.hubServers = withCas;
		config.imap.mode = 'clear';
		config.imap.timeout = 600;
		config.pop3.mode = 'clear';
		config.pop3.timeout = 60;
		config.smtp.mode = 'clear';
		config.smtp.timeout = 120;
		config.rpc.timeout = 100;
	});
	t.deepEqual(warnings, [
		'imap.timeout: 600 s is shorter than 1800 s: IMAP IDLE clients re-issue IDLE only every 29 minutes (RFC 2177) and servers wait 30 minutes (RFC 3501)',
		'pop3.timeout: 60 s is shorter than 600 s: a POP3 server waits at least 10 minutes for an idle client (RFC 1939)',
		'smtp.timeout: 120 s is shorter than 300 s: SMTP allows 5 minutes for a command and 10 for the end of DATA (RFC 5321 4.5.3.2)',
		'rpc.timeout: 100 s is shorter than 360 s: Outlook\'s notification wait (EcDoAsyncWaitEx) stays idle up to 5 minutes (MS-OXCRPC 3.3.4.1)',
	]);
});

test('the factory timeouts meet every protocol, and a disabled service is not warned about', (t) => {
	t.deepEqual(warningsOf((config) => { config.casServers = withCas; config.hubServers = withCas; config.imap.mode = 'clear'; config.pop3.mode = 'clear'; config.smtp.mode = 'clear'; }), []);
	t.deepEqual(warningsOf((config) => { config.casServers = withCas; config.imap.timeout = 5; config.exchangeVersion = '2013+'; config.rpc.mode = 'disabled'; config.rpc.timeout = 5; }), []);
});
