// exlb ha status | offer | pair ADDRESS CODE [--port N] | unpair | sync | sync-on-save on|off: the HA pair. Unlike the
// other commands these ask the running engine (its socket), which holds the pairing offer, the peer channel and the
// sync in progress; the CLI only shows what it answers.
import { ApplianceProblem } from '../../appliance/problems.js';
import { EngineClient, EngineProblem, EngineUnavailableError } from '../../engine/client.js';
import type { HaStatus } from '../../engine/ha-operations.js';
import type { OperationName, ParamsOf, ResultOf } from '../../engine/protocol.js';
import { cliActor } from '../appliance.js';
import { type Context, UsageError } from '../context.js';

export const haUsage = 'usage: exlb ha status | offer | pair ADDRESS CODE [--port N] | unpair | sync | sync-on-save on|off';

/** The status as lines of "what: value" for a terminal. */
export function formatHaStatus(status: HaStatus): string[] {
	const lines = [`identity: ${status.identity.fingerprint}`, `peer channel: ${status.peerPort === null ? 'not listening' : `port ${status.peerPort}`}`];
	if (status.offer !== null) lines.push(`pairing offered until ${status.offer.expiresAt}`);
	const { pairing, peer, sync } = status;
	if (pairing === null) return [...lines, 'not paired'];
	lines.push(`paired with ${pairing.peer.hostname} (${pairing.peer.address}:${pairing.peer.port}), certificate ${pairing.peer.fingerprint}`);
	lines.push(`this node is the config ${pairing.configRole}${pairing.configRole === 'primary' ? `; sync on save ${pairing.syncOnSave ? 'on' : 'off'}` : ''}`);
	if (peer !== null) {
		const seen = peer.reachable ? 'reachable' : `not reachable${peer.error === null ? '' : ` (${peer.error})`}`;
		const facts = [peer.firmwareVersion === null ? null : `exlb ${peer.firmwareVersion}`, peer.haRole === null ? null : `ha.role ${peer.haRole}`, peer.vrrpState === null ? null : `VRRP ${peer.vrrpState}`];
		lines.push(`peer: ${seen}${peer.lastContact === null ? '' : `, last contact ${peer.lastContact}`}${facts.some(Boolean) ? `; ${facts.filter(Boolean).join(', ')}` : ''}`);
	}
	if (sync !== null) lines.push(`sync: ${sync.state}${sync.reason === null ? '' : ` (${sync.reason})`}, revision ${sync.revision}`);
	for (const drain of status.drains) lines.push(`server state not yet on the peer: ${drain.address} ${drain.state}: ${drain.status} (${drain.reason})`);
	for (const problem of status.problems) lines.push(`problem: ${problem}`);
	return lines;
}

async function ask<N extends OperationName>(context: Context, op: N, params: ParamsOf<N>): Promise<ResultOf<N>> {
	const socket = context.environment.EXLB_ENGINE_SOCKET ?? context.paths.engineSocket;
	const client = new EngineClient(socket, 60_000);
	try {
		return await client.call(op, params, cliActor);
	} catch (error) {
		if (error instanceof EngineProblem) throw new ApplianceProblem(error.problem.kind, error.message, error.problem.errors ?? [], { cause: error });
		if (error instanceof EngineUnavailableError) throw new EngineUnavailableError(`the engine is not running (exlb-engine.service): ${error.message}`, { cause: error });
		throw error;
	} finally {
		client.close();
	}
}

function portOf(text: string | undefined): number | undefined {
	if (text === undefined) return undefined;
	if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) throw new UsageError(`--port ${JSON.stringify(text)} is not a port (1-65535)`);
	return Number(text);
}

export async function haCommand(context: Context, options: { port?: string }, args: string[]): Promise<void> {
	const [action, first, second] = args;
	if (action !== 'pair' && options.port !== undefined) throw new UsageError(`--port goes with ha pair\n${haUsage}`);
	const print = (status: HaStatus) => {
		for (const line of formatHaStatus(status)) context.io.out(line);
	};
	if (action === 'status' && args.length === 1) return print(await ask(context, 'ha.status', {}));
	if (action === 'offer' && args.length === 1) {
		const offer = await ask(context, 'ha.offer', {});
		context.io.out(`pairing code: ${offer.code} (until ${offer.expiresAt})`);
		context.io.out(`this node's certificate: ${offer.fingerprint}`);
		context.io.out(`on the config primary: exlb ha pair <this node's address> ${offer.code}${offer.port !== null && offer.port !== 4445 ? ` --port ${offer.port}` : ''}`);
		return;
	}
	if (action === 'pair' && args.length === 3) {
		const port = portOf(options.port);
		return print(await ask(context, 'ha.pair', { address: first!, code: second!, ...(port === undefined ? {} : { port }) }));
	}
	if (action === 'unpair' && args.length === 1) {
		const result = await ask(context, 'ha.unpair', {});
		context.io.out(result.peerNotified ? 'unpaired (the peer forgot the pairing too)' : `unpaired here; ${result.message}`);
		return;
	}
	if (action === 'sync' && args.length === 1) return print(await ask(context, 'ha.sync', {}));
	if (action === 'sync-on-save' && args.length === 2 && (first === 'on' || first === 'off')) return print(await ask(context, 'ha.settings', { syncOnSave: first === 'on' }));
	throw new UsageError(haUsage);
}
