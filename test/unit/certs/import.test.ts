import test from 'ava';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { importPem, importPfx, CertificateError, PfxPasswordError } from '../../../services/certs/import.js';
import { generateSelfSigned, ensureSelfSigned } from '../../../services/certs/self-signed.js';
import { splitPem } from '../../../services/certs/pem.js';

const dir = await mkdtemp(path.join(tmpdir(), 'exlb-certs-'));

async function keyAndCert(cn: string, prefix: string): Promise<{ key: string; cert: string }> {
	const key = path.join(dir, `${prefix}.key`);
	const cert = path.join(dir, `${prefix}.crt`);
	await execa('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '30', '-subj', `/CN=${cn}`]);
	return { key, cert };
}

test('a .pem with key and certificate is imported with CN, validity, self-signed flag, fingerprint', async (t) => {
	const { key, cert } = await keyAndCert('mail.example.com', 'a');
	const imported = await importPem('corp', (await readFile(cert, 'utf8')) + (await readFile(key, 'utf8')));
	t.is(imported.info.name, 'corp');
	t.is(imported.info.commonName, 'mail.example.com');
	t.true(imported.info.selfSigned);
	t.regex(imported.info.fingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
	t.true(Date.parse(imported.info.notAfter) > Date.now());
	t.regex(imported.pem, /^-----BEGIN PRIVATE KEY-----[\s\S]+-----BEGIN CERTIFICATE-----/, 'key first, then the leaf');
});

test('a key that does not match its certificate is refused', async (t) => {
	const a = await keyAndCert('a.example.com', 'b1');
	const b = await keyAndCert('b.example.com', 'b2');
	await t.throwsAsync(importPem('x', (await readFile(a.key, 'utf8')) + (await readFile(b.cert, 'utf8'))), {
		instanceOf: CertificateError, message: 'the private key does not match any certificate in the file',
	});
	await t.throwsAsync(importPem('x', await readFile(a.cert, 'utf8')), { instanceOf: CertificateError, message: /exactly one private key/ });
});

test('a .pfx is imported with its password; a wrong password is named as such', async (t) => {
	const { key, cert } = await keyAndCert('pfx.example.com', 'c');
	const pfx = path.join(dir, 'c.pfx');
	await execa('openssl', ['pkcs12', '-export', '-inkey', key, '-in', cert, '-out', pfx, '-passout', 'pass:s3cret']);
	const bytes = await readFile(pfx);
	const imported = await importPfx('pfx', bytes, 's3cret');
	t.is(imported.info.commonName, 'pfx.example.com');
	t.is(splitPem(imported.pem).keys.length, 1);
	await t.throwsAsync(importPfx('pfx', bytes, 'wrong'), { instanceOf: PfxPasswordError, message: 'wrong password for the .pfx file' });
});

test('the self-signed certificate is generated for the host name and regenerated when it changes', async (t) => {
	const file = path.join(dir, 'self-signed.pem');
	await generateSelfSigned('one.example.com', file);
	const first = await readFile(file, 'utf8');
	t.is(splitPem(first).keys.length, 1);
	t.false(await ensureSelfSigned('one.example.com', file));
	t.is(await readFile(file, 'utf8'), first);
	t.true(await ensureSelfSigned('two.example.com', file));
	t.not(await readFile(file, 'utf8'), first);
	await t.throwsAsync(generateSelfSigned('bad/CN=evil', file), { instanceOf: RangeError });
});
