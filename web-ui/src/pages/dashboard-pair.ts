// The dashboard's card of the HA pair: whether the peer answers, whether the two nodes serve the same configuration
// (in sync, pending, failed and why), and what is wrong with the pair (both master, both holding the VIP).
import { html } from 'htm/preact';
import type { HaStatus } from '../../../services/engine/ha-operations.js';
import { api } from '../api.js';
import { StateWord } from '../components/state-word.js';
import { usePoll } from '../components/use-poll.js';
import { formatDateTime } from '../format.js';
import { t, type MessageKey } from '../i18n/i18n.js';
import { PairProblems, SyncState } from './network-pairing.js';

export function PairCard() {
	const polled = usePoll(() => api<HaStatus>('GET', '/api/v1/ha'), 5000);
	const status = polled.data;
	const pairing = status?.pairing ?? null;
	return html`<section class="card" aria-labelledby="pair-title">
		<h2 id="pair-title">${t('dashboard.pair')}</h2>
		${status === null ? html`<p class="loading" role="status">${polled.error ? polled.error.message : t('common.loading')}</p>` : pairing === null ? html`
			<p><${StateWord} word=${t('dashboard.pairNone')} tone="off" /></p>
			<p><a href="#/network">${t('dashboard.pairSetUp')}</a></p>` : html`
			${status.sync === null ? null : html`<${SyncState} sync=${status.sync} />`}
			<dl>
				<dt>${t('pairing.peer')}</dt><dd>${pairing.peer.hostname} (${pairing.peer.address})</dd>
				<dt>${t('pairing.reachable')}</dt><dd>${status.peer?.reachable ? t('common.yes') : t('common.no')}</dd>
				${status.peer?.lastContact ? html`<dt>${t('dashboard.pairLastContact')}</dt><dd>${formatDateTime(status.peer.lastContact)}</dd>` : null}
				<dt>${t('pairing.configRole')}</dt><dd>${t(`pairing.role.${pairing.configRole}` as MessageKey)}</dd>
				${status.peer?.vrrpState ? html`<dt>${t('dashboard.pairPeerVrrp')}</dt><dd>${status.peer.vrrpState}</dd>` : null}
			</dl>
			<${PairProblems} problems=${status.problems} />`}
	</section>`;
}
