// The certificates page: every certificate with its subject, names, validity, days left and who uses it; import of a
// .pem or .pfx (+ password); a key and CSR made on the appliance (the CSR downloaded, the key kept); deletion of an
// unused one. Every value is text (a subject can hold anything).
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { CertificateView } from '../../../services/engine/protocol.js';
import { api } from '../api.js';
import { Expiry } from '../components/expiry.js';
import { FileField, PasswordField, TextField } from '../components/fields.js';
import { errorsOf, focusFirst, type Errors } from '../components/form-errors.js';
import { usePoll } from '../components/use-poll.js';
import { formatDate } from '../format.js';
import { t } from '../i18n/i18n.js';
import type { Shell } from '../shell.js';

function ImportForm(props: { readonly onImported: () => void }) {
	const [name, setName] = useState('');
	const [file, setFile] = useState<File | null>(null);
	const [password, setPassword] = useState('');
	const [errors, setErrors] = useState<Errors>({});
	const [notice, setNotice] = useState<string | null>(null);
	const submit = async (event: Event) => {
		event.preventDefault();
		setNotice(null);
		const found: Errors = {};
		if (file === null) found['import-file'] = t('certs.fileRequired');
		if (Object.keys(found).length === 0 && file !== null) {
			const form = new FormData();
			form.append('name', name.trim());
			if (password !== '') form.append('password', password);
			form.append('file', file, file.name);
			try {
				const answer = await api<{ certificate: CertificateView; warnings: { message: string }[] }>('POST', '/api/v1/certificates', undefined, { form });
				setNotice([t('certs.imported', { name: answer.certificate.name }), ...answer.warnings.map((warning) => warning.message)].join(' '));
				setName('');
				setPassword('');
				setFile(null);
				props.onImported();
			} catch (failure) {
				Object.assign(found, errorsOf(failure, 'import', ['file', 'name', 'password']));
			}
		}
		setErrors(found);
		focusFirst(found, ['import-name', 'import-file', 'import-password']);
	};
	return html`<form onSubmit=${submit} novalidate>
		<${TextField} id="import-name" label=${t('certs.name')} value=${name} onInput=${setName} hint=${t('certs.nameHint')} error=${errors['import-name']} />
		<${FileField} id="import-file" file=${file} label=${t('cert.file')} accept=".pfx,.p12,.pem,.crt,.cer,.key" hint=${t('certs.fileHint')} error=${errors['import-file']} onChange=${setFile} />
		<${PasswordField} id="import-password" label=${t('cert.password')} value=${password} onInput=${setPassword} autocomplete="off" error=${errors['import-password']} />
		<button type="submit">${t('certs.import')}</button>
		${notice ? html`<p class="notice" role="status">${notice}</p>` : null}
	</form>`;
}

function CsrForm() {
	const [name, setName] = useState('');
	const [commonName, setCommonName] = useState('');
	const [altNames, setAltNames] = useState('');
	const [errors, setErrors] = useState<Errors>({});
	const [csr, setCsr] = useState<{ name: string; text: string; url: string } | null>(null);
	useEffect(() => () => {
		if (csr !== null) URL.revokeObjectURL(csr.url);
	}, [csr]);
	const submit = async (event: Event) => {
		event.preventDefault();
		const found: Errors = {};
		try {
			const names = altNames.split(/[\s,]+/).filter(Boolean);
			const answer = await api<{ csr: string }>('POST', '/api/v1/certificates/csr', { name: name.trim(), commonName: commonName.trim(), altNames: names });
			setCsr({ name: name.trim(), text: answer.csr, url: URL.createObjectURL(new Blob([answer.csr], { type: 'application/pkcs10' })) });
		} catch (failure) {
			Object.assign(found, errorsOf(failure, 'csr', ['name', 'commonName', 'altNames']));
		}
		setErrors(found);
		focusFirst(found, ['csr-name', 'csr-commonName', 'csr-altNames']);
	};
	return html`<form onSubmit=${submit} novalidate>
		<${TextField} id="csr-name" label=${t('certs.name')} value=${name} onInput=${setName} hint=${t('certs.nameHint')} error=${errors['csr-name']} />
		<${TextField} id="csr-commonName" label=${t('cert.commonName')} value=${commonName} onInput=${setCommonName} placeholder="mail.example.com" error=${errors['csr-commonName']} />
		<${TextField} id="csr-altNames" label=${t('certs.altNames')} value=${altNames} onInput=${setAltNames} hint=${t('certs.altNamesHint')} error=${errors['csr-altNames']} />
		<button type="submit">${t('certs.makeCsr')}</button>
		${csr ? html`<div class="secret" role="status">
			<p>${t('certs.csrReady')} <a href=${csr.url} download=${`${csr.name}.csr`}>${t('certs.download', { file: `${csr.name}.csr` })}</a></p>
			<label for="csr-text">${t('certs.csr')}</label>
			<textarea id="csr-text" readonly rows="8" value=${csr.text}></textarea>
		</div>` : null}
	</form>`;
}

export function CertificatesPage(_props: { readonly shell: Shell }) {
	const list = usePoll(() => api<{ certificates: CertificateView[] }>('GET', '/api/v1/certificates'), 60_000);
	const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
	const remove = async (name: string) => {
		try {
			await api('DELETE', `/api/v1/certificates/${encodeURIComponent(name)}`);
			setMessage({ text: t('certs.deleted', { name }), error: false });
			list.refresh();
		} catch (failure) {
			setMessage({ text: (failure as Error).message, error: true });
		}
	};
	return html`<div class="areas">
		<section class="area wide" aria-labelledby="cert-list-title">
			<h2 id="cert-list-title">${t('certs.list')}</h2>
			${message ? html`<p class=${message.error ? 'form-error' : 'notice'} role=${message.error ? 'alert' : 'status'}>${message.text}</p>` : null}
			${list.data === null ? html`<p class="loading" role="status">${t('common.loading')}</p>` : list.data.certificates.length === 0 ? html`<p>${t('certs.none')}</p>` : html`
				<div class="table-scroll" role="region" aria-label=${t('certs.list')} tabindex="0"><table class="certificates">
					<thead><tr><th scope="col">${t('certs.name')}</th><th scope="col">${t('cert.commonName')}</th><th scope="col">${t('certs.altNames')}</th><th scope="col">${t('certs.validity')}</th>
						<th scope="col">${t('certs.expiry')}</th><th scope="col">${t('certs.usedBy')}</th><th scope="col"><span class="visually-hidden">${t('services.actions')}</span></th></tr></thead>
					<tbody>${list.data.certificates.map((cert) => html`<tr>
						<th scope="row">${cert.name}<span class="cell-line">${cert.selfSigned ? t('cert.selfSigned') : t('cert.caSigned')}${cert.generated ? ` · ${t('certs.generated')}` : ''}</span></th>
						<td class="subject">${cert.commonName}</td>
						<td>${cert.altNames.join(', ') || '—'}</td>
						<td>${formatDate(cert.notBefore)} – ${formatDate(cert.notAfter)}</td>
						<td><${Expiry} daysLeft=${cert.daysLeft} /></td>
						<td>${cert.usedBy.length === 0 ? t('certs.unused') : cert.usedBy.join(', ')}</td>
						<td>${cert.usedBy.length === 0 && !cert.generated ? html`<button type="button" class="small secondary" onClick=${() => remove(cert.name)}
							aria-label=${t('certs.deleteNamed', { name: cert.name })}>${t('certs.delete')}</button>` : null}</td>
					</tr>`)}</tbody>
				</table></div>
				<details><summary>${t('certs.fingerprints')}</summary><ul class="fingerprints">${list.data.certificates.map((cert) => html`<li><strong>${cert.name}</strong> <code>${cert.fingerprint}</code></li>`)}</ul></details>`}
		</section>
		<section class="area" aria-labelledby="cert-import-title">
			<h2 id="cert-import-title">${t('certs.importTitle')}</h2>
			<${ImportForm} onImported=${list.refresh} />
		</section>
		<section class="area" aria-labelledby="cert-csr-title">
			<h2 id="cert-csr-title">${t('certs.csrTitle')}</h2>
			<p class="hint">${t('certs.csrHint')}</p>
			<${CsrForm} />
		</section>
	</div>`;
}
