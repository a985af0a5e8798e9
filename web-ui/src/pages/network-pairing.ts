// The network tab's pairing area: this node's identity (its certificate's fingerprint), pairing with the other node
// (a one-time code shown on the node to be the config secondary, typed on the primary with the secondary's address),
// then the pair as it is: the peer, which node is the config primary, the configuration sync (in sync, pending,
// failed and why), sync on save, sync now, unpair. Everything the appliance answers is shown as text, never markup.
import { html } from 'htm/preact';
import type { ComponentChild } from 'preact';
import { useState } from 'preact/hooks';
import type { HaStatus } from '../../../services/engine/ha-operations.js';
import { api } from '../api.js';
import { Dialog } from '../components/dialog.js';
import { CheckField, TextField } from '../components/fields.js';
import { useFieldForm } from '../components/field-form.js';
import { FormError } from '../components/form-error.js';
import { StateWord, type Tone } from '../components/state-word.js';
import { usePoll, type Polled } from '../components/use-poll.js';
import { formatDateTime } from '../format.js';
import { t, type MessageKey } from '../i18n/i18n.js';

interface Offer {
	readonly code: string;
	readonly fingerprint: string;
	readonly expiresAt: string;
	readonly port: number | null;
}

export const syncTone: Record<string, Tone> = { 'in-sync': 'good', pending: 'info', failed: 'bad', unknown: 'off' };

/** The pair's problems (both master, split brain, another firmware), as an alert list. */
export function PairProblems(props: { readonly problems: readonly string[] }) {
	return props.problems.length === 0 ? null : html`<ul class="pair-problems" role="alert">${props.problems.map((problem) => html`<li><span class="error-word">${t('common.error')}</span> ${problem}</li>`)}</ul>`;
}

/** The sync's state word with its reason. */
export function SyncState(props: { readonly sync: NonNullable<HaStatus['sync']> }) {
	return html`<p><${StateWord} word=${t(`pairing.sync.${props.sync.state}` as MessageKey)} tone=${syncTone[props.sync.state] ?? 'info'} />
		${props.sync.reason ? html` <span class="cell-line">${props.sync.reason}</span>` : null}</p>`;
}

function OfferCode(props: { readonly onOffered: () => void }) {
	const [offer, setOffer] = useState<Offer | null>(null);
	const { errors, busy, general, run } = useFieldForm('ha-offer', []);
	const make = () => run(async () => {
		setOffer(await api<Offer>('POST', '/api/v1/ha/offer'));
		props.onOffered();
	});
	return html`<div class="pairing-part">
		<h3>${t('pairing.asSecondary')}</h3>
		<p class="hint">${t('pairing.asSecondaryHint')}</p>
		<button type="button" id="ha-offer" disabled=${busy} onClick=${make}>${offer === null ? t('pairing.offer') : t('pairing.offerAgain')}</button>
		<${FormError} id=${general} error=${errors[general]} />
		${offer === null ? null : html`<div class="pairing-offer" role="status">
			<p>${t('pairing.offerText', { expires: formatDateTime(offer.expiresAt) })}</p>
			<p class="pairing-code"><code id="ha-offer-code">${offer.code}</code></p>
			<dl>
				<dt>${t('pairing.ownFingerprint')}</dt><dd><code id="ha-offer-fingerprint">${offer.fingerprint}</code></dd>
				${offer.port !== null && offer.port !== 4445 ? html`<dt>${t('pairing.port')}</dt><dd>${offer.port}</dd>` : null}
			</dl>
		</div>`}
	</div>`;
}

function PairForm(props: { readonly onPaired: (status: HaStatus) => void }) {
	const [address, setAddress] = useState('');
	const [port, setPort] = useState('4445');
	const [code, setCode] = useState('');
	const { errors, busy, run } = useFieldForm('ha-pair', ['address', 'port', 'code']);
	const submit = (event: Event) => {
		event.preventDefault();
		void run(async () => {
			const portNumber = /^\d{1,5}$/.test(port.trim()) ? Number(port.trim()) : port;
			props.onPaired(await api<HaStatus>('POST', '/api/v1/ha/pair', { address: address.trim(), port: portNumber, code: code.trim() }));
		});
	};
	return html`<form class="pairing-part" onSubmit=${submit} novalidate>
		<h3>${t('pairing.asPrimary')}</h3>
		<p class="hint">${t('pairing.asPrimaryHint')}</p>
		<${FormError} id="ha-pair-form" error=${errors['ha-pair-form']} />
		<${TextField} id="ha-pair-address" label=${t('pairing.address')} value=${address} onInput=${setAddress} inputMode="decimal" error=${errors['ha-pair-address']} />
		<${TextField} id="ha-pair-port" label=${t('pairing.port')} value=${port} onInput=${setPort} inputMode="numeric" hint=${t('pairing.portHint')} error=${errors['ha-pair-port']} />
		<${TextField} id="ha-pair-code" label=${t('pairing.code')} value=${code} onInput=${setCode} hint=${t('pairing.codeHint')} error=${errors['ha-pair-code']} />
		<button type="submit" disabled=${busy}>${busy ? t('pairing.pairing') : t('pairing.pair')}</button>
	</form>`;
}

function UnpairDialog(props: { readonly peer: string; readonly onDone: (text: string) => void; readonly onClose: () => void }) {
	const { errors, busy, general, run } = useFieldForm('ha-unpair', []);
	const unpair = (event: Event) => {
		event.preventDefault();
		void run(async () => {
			const answer = await api<{ peerNotified: boolean; message: string | null }>('POST', '/api/v1/ha/unpair');
			props.onDone(answer.peerNotified ? t('pairing.unpaired') : `${t('pairing.unpairedHere')} ${answer.message ?? ''}`.trim());
		});
	};
	return html`<${Dialog} id="ha-unpair-dialog" title=${t('pairing.unpairTitle')} onClose=${props.onClose}>
		<form onSubmit=${unpair} novalidate>
			<p>${t('pairing.unpairText', { peer: props.peer })}</p>
			<${FormError} id=${general} error=${errors[general]} />
			<div class="dialog-actions"><button type="submit" disabled=${busy}>${t('pairing.unpair')}</button></div>
		</form>
	</${Dialog}>`;
}

function Paired(props: { readonly status: HaStatus; readonly polled: Polled<HaStatus>; readonly onUnpaired: (text: string) => void }) {
	const { pairing, peer, sync } = props.status;
	const [notice, setNotice] = useState<string | null>(null);
	const [error, setError] = useState<string | undefined>(undefined);
	const [unpairing, setUnpairing] = useState(false);
	if (pairing === null) return null;
	const act = async (work: () => Promise<unknown>, done: string) => {
		setNotice(null);
		setError(undefined);
		try {
			await work();
			setNotice(done);
			props.polled.refresh();
		} catch (failure) {
			setError((failure as Error).message);
			document.getElementById('ha-paired-error')?.focus();
		}
	};
	const peerName = `${pairing.peer.hostname} (${pairing.peer.address}:${pairing.peer.port})`;
	const primary = pairing.configRole === 'primary';
	return html`<div class="pairing-part">
		<dl>
			<dt>${t('pairing.peer')}</dt><dd>${peerName}</dd>
			<dt>${t('pairing.peerFingerprint')}</dt><dd><code>${pairing.peer.fingerprint}</code></dd>
			<dt>${t('pairing.ownFingerprint')}</dt><dd><code>${props.status.identity.fingerprint}</code></dd>
			<dt>${t('pairing.configRole')}</dt><dd>${t(`pairing.role.${pairing.configRole}` as MessageKey)}</dd>
			<dt>${t('pairing.pairedAt')}</dt><dd>${formatDateTime(pairing.pairedAt)}</dd>
			<dt>${t('pairing.reachable')}</dt><dd>${peer?.reachable ? t('common.yes') : `${t('common.no')}${peer?.error ? ` (${peer.error})` : ''}`}</dd>
		</dl>
		<h3>${t('pairing.syncTitle')}</h3>
		${sync === null ? null : html`<${SyncState} sync=${sync} />`}
		<p class="hint">${primary ? t('pairing.primaryHint') : t('pairing.secondaryHint', { peer: pairing.peer.hostname })}</p>
		<${PairProblems} problems=${props.status.problems} />
		${props.status.drains.length === 0 ? null : html`<ul>${props.status.drains.map((drain) => html`<li>${t('pairing.drainPending', { address: drain.address, state: drain.state })} ${drain.reason}</li>`)}</ul>`}
		${primary ? html`<${CheckField} id="ha-syncOnSave" label=${t('pairing.syncOnSave')} hint=${t('pairing.syncOnSaveHint')} checked=${pairing.syncOnSave}
			onChange=${(checked: boolean) => act(() => api('PUT', '/api/v1/ha/settings', { syncOnSave: checked }), checked ? t('pairing.syncOnSaveOn') : t('pairing.syncOnSaveOff'))} />` : null}
		<${FormError} id="ha-paired-error" error=${error} />
		<div class="area-actions">
			<button type="button" id="ha-sync-now" onClick=${() => act(() => api('POST', '/api/v1/ha/sync'), primary ? t('pairing.syncSent') : t('pairing.syncAsked'))}>${t('pairing.syncNow')}</button>
			<button type="button" class="secondary" id="ha-unpair" onClick=${() => setUnpairing(true)}>${t('pairing.unpair')}</button>
			${notice ? html`<p class="notice" role="status">${notice}</p>` : null}
		</div>
		${unpairing ? html`<${UnpairDialog} peer=${peerName} onClose=${() => setUnpairing(false)}
			onDone=${(text: string) => { setUnpairing(false); props.onUnpaired(text); props.polled.refresh(); }} />` : null}
	</div>`;
}

export function HaPairing() {
	const polled = usePoll(() => api<HaStatus>('GET', '/api/v1/ha'), 3000);
	const [notice, setNotice] = useState<ComponentChild>(null);
	const status = polled.data;
	return html`<section class="area pairing-area" aria-labelledby="area-pairing-title">
		<h2 id="area-pairing-title">${t('pairing.title')}</h2>
		<p class="hint">${t('pairing.intro')}</p>
		${polled.error ? html`<p class="form-error" role="alert">${t('pairing.unreadable')} ${polled.error.message}</p>` : null}
		${notice ? html`<p class="notice" role="status">${notice}</p>` : null}
		${status === null ? html`<p class="loading" role="status">${t('common.loading')}</p>` : status.pairing !== null ? html`<${Paired} status=${status} polled=${polled} onUnpaired=${setNotice} />` : html`
			<dl><dt>${t('pairing.ownFingerprint')}</dt><dd><code id="ha-own-fingerprint">${status.identity.fingerprint}</code></dd></dl>
			${status.peerPort === null ? html`<p class="form-error" role="alert">${t('pairing.noPeerChannel')}</p>` : null}
			<div class="grid-2">
				<${OfferCode} onOffered=${polled.refresh} />
				<${PairForm} onPaired=${(answer: HaStatus) => {
					setNotice(html`${t('pairing.pairedWith', { peer: answer.pairing?.peer.hostname ?? '' })} <code>${answer.pairing?.peer.fingerprint ?? ''}</code>`);
					polled.refresh();
				}} />
			</div>`}
	</section>`;
}
