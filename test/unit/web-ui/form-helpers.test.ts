// The interface's small pure pieces: numbered slots (CAS 1-4, routes 1-4) and the API's list indexes mapped back to
// them, a typed number or the text left for the API to refuse by name, a certificate's name from its file name, the
// dashboard column of each haproxy backend's service, and a download's file name from its Content-Disposition.
import test from 'ava';
import { fileNameOf } from '../../../web-ui/src/api.js';
import { certificateNameFor } from '../../../web-ui/src/components/certificate-picker.js';
import { filledSlots, slotPath, toSlots } from '../../../web-ui/src/components/slots.js';
import { numberOrText } from '../../../web-ui/src/components/use-area.js';
import { columnOf } from '../../../web-ui/src/pages/dashboard.js';

test('the filled slots are the list sent; an error on the list\'s second entry is shown at the slot it came from', (t) => {
	const filled = filledSlots(['', '10.0.0.11', '', 'bad'], (value) => value === '');
	t.deepEqual(filled.list, ['10.0.0.11', 'bad']);
	t.is(slotPath('casServers[1]', 'casServers', filled.slotOf), 'casServers[3]');
	t.is(slotPath('network.routes[0].router', 'network.routes', filled.slotOf), 'network.routes[1].router');
	t.is(slotPath('http.casHttpPort', 'casServers', filled.slotOf), 'http.casHttpPort');
	t.deepEqual(toSlots(['a'], 3, () => ''), ['a', '', '']);
});

test('a typed whole number is sent as a number, anything else as the text (the API names the field)', (t) => {
	t.is(numberOrText(' 8080 '), 8080);
	t.is(numberOrText('80a'), '80a');
	t.is(numberOrText('-1'), '-1');
	t.is(numberOrText(''), '');
});

test('a certificate name from its file name: lower case, allowed characters, not taken, never "self-signed"', (t) => {
	t.is(certificateNameFor('Corp Mail 2026.pfx', []), 'corp-mail-2026');
	t.is(certificateNameFor('corp.pfx', ['corp', 'corp-2']), 'corp-3');
	t.is(certificateNameFor('self-signed.pem', []), 'self-signed-1');
	t.is(certificateNameFor('###.pfx', []), 'certificate');
	t.regex(certificateNameFor(`${'x'.repeat(80)}.pfx`, []), /^x{28}$/);
});

test('each backend service has its dashboard column: the TLS and clear mail backends and the three RPC ones together', (t) => {
	t.is(columnOf('owa'), 'owa');
	t.is(columnOf('imaps'), 'imap');
	t.is(columnOf('smtp'), 'smtp');
	t.is(columnOf('rpcClientAccess'), 'rpc');
	t.is(columnOf('https'), 'https');
	t.is(columnOf('outlookAnywhere'), 'outlookAnywhere');
});

test('a download is saved under the name its Content-Disposition gives (quoted or not), never with a folder in it', (t) => {
	t.is(fileNameOf('attachment; filename="exlb-exlb-20261202T225721Z.exlbbak"'), 'exlb-exlb-20261202T225721Z.exlbbak');
	t.is(fileNameOf('attachment; filename=plain.exlbbak; size=3'), 'plain.exlbbak');
	t.is(fileNameOf('attachment; filename="../../etc/passwd"'), '.._.._etc_passwd');
	t.is(fileNameOf('attachment'), null);
	t.is(fileNameOf(null), null);
});
