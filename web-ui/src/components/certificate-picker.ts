// The certificate of a TLS-offloaded service, as the original's area showed it: the one in use (common name,
// validity, status) chosen among the appliance's, or a new .pfx/.pem file with its password, imported when the
// area is validated.
import { html } from 'htm/preact';
import type { CertificateView } from '../../../services/engine/protocol.js';
import { api, ApiError, type FieldError } from '../api.js';
import { formatDateTime } from '../format.js';
import { t } from '../i18n/i18n.js';
import { Expiry } from './expiry.js';
import { FileField, PasswordField, SelectField } from './fields.js';

export interface CertificateChoice {
	readonly name: string;
	readonly file: File | null;
	readonly password: string;
}

const selfSigned = 'self-signed';

/** A certificate name from a file name: lower case, [a-z0-9_-], at most 32, not taken and not "self-signed". */
export function certificateNameFor(fileName: string, taken: readonly string[]): string {
	const base = (fileName.replace(/\.[^.]*$/, '').toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 28) || 'certificate').replace(/-+$/, '') || 'certificate';
	let name = base === selfSigned ? `${base}-1` : base;
	for (let n = 2; taken.includes(name); n += 1) name = `${base}-${n}`;
	return name;
}

/** Imports the chosen file (if any) and answers the certificate name the service is to use; field errors are renamed to `ids`. */
export async function importChosen(choice: CertificateChoice, taken: readonly string[], ids: { readonly file: string; readonly password: string }): Promise<string> {
	if (choice.file === null) return choice.name;
	const name = certificateNameFor(choice.file.name, taken);
	const form = new FormData();
	form.append('name', name);
	if (choice.password !== '') form.append('password', choice.password);
	form.append('file', choice.file, choice.file.name);
	try {
		await api('POST', '/api/v1/certificates', undefined, { form });
	} catch (failure) {
		if (!(failure instanceof ApiError)) throw failure;
		const renamed: FieldError[] = failure.errors.map((entry) => ({ ...entry, path: entry.path === 'password' ? ids.password : ids.file }));
		throw new ApiError(failure.status, failure.kind, failure.message, renamed.length > 0 ? renamed : [{ path: ids.file, message: failure.message }], failure.retryAfterSeconds);
	}
	return name;
}

export function CertificatePicker(props: {
	readonly section: string;
	readonly choice: CertificateChoice;
	readonly certificates: readonly CertificateView[];
	readonly onChange: (choice: CertificateChoice) => void;
	readonly errorOf: (id: string) => string | undefined;
}) {
	const { choice } = props;
	const selected = props.certificates.find((cert) => cert.name === choice.name);
	const names = [...new Set([selfSigned, ...props.certificates.map((cert) => cert.name), ...(choice.name === '' ? [] : [choice.name])])];
	return html`<fieldset class="certificate">
		<legend>${t('cert.legend')}</legend>
		<${SelectField} id=${`${props.section}.certificate`} label=${t('cert.inUse')} value=${choice.name} error=${props.errorOf(`${props.section}.certificate`)}
			choices=${names.map((name) => ({ value: name, label: name === selfSigned ? t('cert.selfSignedChoice') : name }))}
			onChange=${(name: string) => props.onChange({ ...choice, name })} />
		${selected ? html`<dl class="cert-facts">
			<dt>${t('cert.commonName')}</dt><dd>${selected.commonName}</dd>
			<dt>${t('cert.from')}</dt><dd>${formatDateTime(selected.notBefore)}</dd>
			<dt>${t('cert.until')}</dt><dd>${formatDateTime(selected.notAfter)} · <${Expiry} daysLeft=${selected.daysLeft} /></dd>
			<dt>${t('cert.status')}</dt><dd>${selected.selfSigned ? t('cert.selfSigned') : t('cert.caSigned')}</dd>
		</dl>` : choice.name === selfSigned ? html`<p class="hint">${t('cert.selfSignedLater')}</p>` : null}
		<${FileField} id=${`${props.section}.certificateFile`} label=${t('cert.file')} accept=".pfx,.p12,.pem,.crt,.cer,.key" hint=${t('cert.fileHint')} file=${choice.file}
			error=${props.errorOf(`${props.section}.certificateFile`)} onChange=${(file: File | null) => props.onChange({ ...choice, file })} />
		<${PasswordField} id=${`${props.section}.certificatePassword`} label=${t('cert.password')} value=${choice.password} autocomplete="off"
			error=${props.errorOf(`${props.section}.certificatePassword`)} onInput=${(password: string) => props.onChange({ ...choice, password })} />
	</fieldset>`;
}
