// Firmware updates as every front end asks for them: the status of both slots, the install of an update bundle into
// the slot not running (its steps followed as they happen), and "boot the previous firmware". One install or boot
// change at a time across processes (a pid file: the engine and the CLI); a refused bundle names the form field
// `bundle` and the check that failed. Every operation is written to the audit log.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Actor, ResultOf } from '../engine/protocol.js';
import { otherSlot, type SlotName, type SlotState } from '../firmware/boot-state.js';
import { BundleError, BundleKeyError, SlotError } from '../firmware/bundle-errors.js';
import { loadTrustedKeys } from '../firmware/bundle-keys.js';
import { firmwareSlotsView } from '../firmware/firmware-status.js';
import { defaultTries, installBundle, type InstallStep } from '../firmware/install.js';
import type { FirmwarePlatform } from '../firmware/platform.js';
import { claimPidFile, releasePidFile } from '../os/pid.js';
import type { AuditLog } from './audit-log.js';
import { ApplianceProblem, problemOf } from './problems.js';

export type FirmwareStatus = ResultOf<'firmware.status'>;
type InstallRecord = NonNullable<FirmwareStatus['install']>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface FirmwareUpdatesDeps {
	/** The machine's platform, asked at each operation (it may not exist on this machine: its error says so). */
	readonly platform: () => FirmwarePlatform;
	readonly audit: AuditLog;
	/** Held during an install or a change of the boot selection, by whichever process does it. */
	readonly lockFile: string;
	/** Boots an installed slot gets to pass its health checks. */
	readonly tries?: number;
	/** How long the bundle may send nothing before the install gives up (default 5 minutes). */
	readonly idleMs?: number;
}

/** How long an upload may stall before its install gives up. */
const defaultIdleMs = 5 * 60_000;

/** How long a client should wait before asking again while an install runs. */
const installRetryAfterSeconds = 30;

/** A slot's state as a person reads it in a refusal. */
function described(slot: SlotName, state: SlotState): string {
	const version = state.version === undefined ? '' : ` (version ${state.version})`;
	const status = state.status === 'trying' ? `on trial with ${state.triesLeft} boots left` : state.status;
	return `slot ${slot}${version} is ${status}`;
}

/** A bundle refused for what it is: "invalid", named by the form field that carried it. */
function bundleProblem(error: unknown): unknown {
	if (!(error instanceof BundleError) || error instanceof BundleKeyError || error instanceof SlotError) return error;
	return new ApplianceProblem('invalid', `the firmware bundle was refused: ${error.message}`, [{ path: 'bundle', message: error.message }], { cause: error });
}

/** `input` with every chunk counted on its way through; no chunk for `idleMs` is an error (a stalled upload does not hold the install for ever). */
function counted(input: Readable, onBytes: (total: number) => void, idleMs: number): Readable {
	let total = 0;
	let timer: NodeJS.Timeout | undefined;
	const counter = new Transform({
		transform(chunk: Buffer, _encoding, done) {
			total += chunk.length;
			onBytes(total);
			watch();
			done(null, chunk);
		},
		flush(done) {
			clearTimeout(timer);
			done();
		},
	});
	function watch(): void {
		clearTimeout(timer);
		timer = setTimeout(() => counter.destroy(new Error(`no bundle data came for ${idleMs / 1000} s after ${total} bytes`)), idleMs);
	}
	counter.once('close', () => clearTimeout(timer));
	watch();
	// Either side failing ends both: the bundle reader sees the error, a refusal stops the input.
	pipeline(input, counter).catch(() => {});
	return counter;
}

export class FirmwareUpdates {
	#install: Mutable<InstallRecord> | null = null;
	#busy: string | null = null;

	constructor(private readonly deps: FirmwareUpdatesDeps) {}

	async status(): Promise<FirmwareStatus> {
		const platform = this.deps.platform();
		const view = firmwareSlotsView(await platform.bootState.read(), await platform.bootedSlot());
		return { ...view, slots: [...view.slots], install: this.#install === null ? null : { ...this.#install, steps: [...this.#install.steps] } };
	}

	/**
	 * Installs the bundle read from `bundle` into the slot not running; resolves with the status once the slot is
	 * marked to boot next. Each step is in the status as it is done (and given to `onStep`). Refused at once while
	 * another install or boot change runs ("busy", nothing read).
	 */
	async install(bundle: Readable, options: { readonly force: boolean; readonly onStep?: (step: InstallStep) => void }, actor: Actor): Promise<FirmwareStatus> {
		return this.#exclusive(actor, 'firmware.install', async (platform) => {
			const slot = otherSlot(await platform.bootedSlot());
			const record: Mutable<InstallRecord> = { state: 'running', user: actor.user, started: new Date().toISOString(), slot, bytes: 0, steps: [] };
			this.#install = record;
			try {
				const policy = { trustedKeys: await loadTrustedKeys(platform.trustedKeysDir), runningVersion: await platform.runningVersion(), force: options.force };
				const result = await installBundle({
					bundle: counted(bundle, (total) => { record.bytes = total; }, this.deps.idleMs ?? defaultIdleMs),
					policy,
					slot,
					device: platform.slotDevice(slot),
					bootState: platform.bootState,
					tries: this.deps.tries ?? defaultTries,
					onStep: (step: InstallStep, manifest) => {
						record.version = manifest.version;
						record.steps = [...record.steps, { step, time: new Date().toISOString() }];
						options.onStep?.(step);
					},
				}).catch((error: unknown) => {
					throw bundleProblem(error);
				});
				record.tries = result.tries;
				record.state = 'done';
			} catch (error) {
				record.state = 'failed';
				record.problem = problemOf(error);
				bundle.destroy();
				throw error;
			} finally {
				record.finished = new Date().toISOString();
			}
			return this.status();
		}, () => bundle.destroy());
	}

	/** The other slot than the one booting next boots next instead; refused unless it is good. */
	async bootPrevious(actor: Actor): Promise<FirmwareStatus> {
		return this.#exclusive(actor, 'firmware.bootPrevious', async (platform) => {
			const snapshot = await platform.bootState.read();
			const target = otherSlot(firmwareSlotsView(snapshot, await platform.bootedSlot()).next);
			const state = snapshot.slots[target];
			if (state.status !== 'good') {
				const reason = `${described(target, state)}, not good: only a slot that booted and passed its health checks can be chosen; nothing was changed`;
				throw new ApplianceProblem('conflict', reason, [{ path: `slots.${target}`, message: described(target, state) }]);
			}
			await platform.bootState.bootPrevious(target);
			return this.status();
		});
	}

	/**
	 * Runs `work` as the only install or boot change (this process, then the pid file for the others) and records
	 * it in the audit log, done or refused. `onBusy` runs when it is refused for that.
	 */
	async #exclusive<T>(actor: Actor, operation: string, work: (platform: FirmwarePlatform) => Promise<T>, onBusy: () => void = () => {}): Promise<T> {
		const audit = (outcome: 'done' | 'refused', message?: string) =>
			this.deps.audit.record({ time: new Date().toISOString(), actor, operation, paths: [], outcome, ...(message === undefined ? {} : { message }) });
		const holder = this.#busy;
		if (holder === null) this.#busy = `${operation} by ${actor.user}`;
		try {
			const running = holder ?? await this.#claimLock();
			if (running !== null) {
				onBusy();
				throw new ApplianceProblem('busy', `a firmware install or boot change is already running (${running}); try again once it is done`, [], { retryAfterSeconds: installRetryAfterSeconds });
			}
		} catch (error) {
			if (holder === null) this.#busy = null;
			await audit('refused', problemOf(error).message);
			throw error;
		}
		try {
			const value = await work(this.deps.platform());
			await audit('done');
			return value;
		} catch (error) {
			await audit('refused', problemOf(error).message);
			throw error;
		} finally {
			await releasePidFile(this.deps.lockFile);
			this.#busy = null;
		}
	}

	/** null when this process now holds the lock file, else who holds it. */
	async #claimLock(): Promise<string | null> {
		await mkdir(path.dirname(this.deps.lockFile), { recursive: true });
		const claim = await claimPidFile(this.deps.lockFile);
		return claim.claimed ? null : `process ${claim.owner ?? 'unknown'}`;
	}
}
