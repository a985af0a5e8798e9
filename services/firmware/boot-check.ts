// The boot assessment, in three steps around systemd's boot-complete.target (exlb-boot-check.service before it,
// exlb-boot-good.service after it, exlb-boot-failed.service on the check's failure):
// 1. check: a rollback is recorded first (the boot loader fell back from a slot whose tries ran out), then the health
//    checks run, each until it passes or the deadline;
// 2. good: all passed, so a slot on trial becomes good;
// 3. failed: a slot on trial reboots, so the boot loader counts another try (or falls back); a good slot never
//    reboot-loops on a failed check, it only says so.
import { waitFor } from '../apply/wait.js';
import type { BootState, SlotName } from './boot-state.js';

/** One health check: resolves with undefined when healthy, else with why not. */
export interface HealthCheck {
	readonly name: string;
	readonly probe: () => Promise<string | undefined>;
}

export class BootCheckError extends Error {
	override readonly name = 'BootCheckError';
	constructor(
		readonly check: string,
		readonly reason: string,
		options?: { cause?: unknown },
	) {
		super(`boot check "${check}" failed: ${reason}`, options);
	}
}

/** Records the rollback when the boot loader went back from the primary slot because its tries ran out; returns it. */
export async function recordRollbackIfAny(bootState: BootState, booted: SlotName): Promise<{ slot: SlotName; version?: string } | undefined> {
	const snapshot = await bootState.read();
	const primary = snapshot.slots[snapshot.primary];
	if (booted === snapshot.primary || primary.status !== 'trying' || primary.triesLeft > 0) return undefined;
	await bootState.recordRollback(snapshot.primary);
	return { slot: snapshot.primary, ...(primary.version === undefined ? {} : { version: primary.version }) };
}

/** Runs the checks in order, each retried until it passes or `deadlineMs` from the start has passed. */
export async function runHealthChecks(checks: readonly HealthCheck[], deadlineMs: number, log: (line: string) => void, intervalMs = 2000): Promise<void> {
	const deadline = Date.now() + deadlineMs;
	for (const check of checks) {
		let reason: string | undefined;
		try {
			await waitFor(check.name, Math.max(0, deadline - Date.now()), async () => {
				reason = await check.probe();
				return reason === undefined;
			}, intervalMs);
		} catch (error: unknown) {
			throw new BootCheckError(check.name, reason ?? (error instanceof Error ? error.message : String(error)), { cause: error });
		}
		log(`boot check: ${check.name}: ok`);
	}
}

/** After the checks passed: a slot on trial is good now. Returns whether anything changed. */
export async function markBootGood(bootState: BootState, booted: SlotName): Promise<boolean> {
	const snapshot = await bootState.read();
	if (snapshot.slots[booted].status !== 'trying') return false;
	await bootState.markGood(booted);
	return true;
}

/** After a failed check: reboot a slot on trial (the boot loader counts the next try or falls back); keep a good one running. */
export async function afterFailedBootCheck(bootState: BootState, booted: SlotName, reboot: () => Promise<void>): Promise<'rebooting' | 'kept running'> {
	const snapshot = await bootState.read();
	if (snapshot.slots[booted].status !== 'trying') return 'kept running';
	await reboot();
	return 'rebooting';
}
