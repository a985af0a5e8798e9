// The appliance service: the one place that changes the appliance. Every front end (the engine behind the web API,
// the CLI, the console agent, boot) calls these operations; none writes a config or daemon file itself. Each change
// runs under the apply lock from reading the running configuration to recording the new one, is validated whole and
// checked by the daemons before anything is swapped, and is written to the audit log (field paths, never values).
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { applyHoldingLock, checkConfig, withApplyLock, type ApplyOptions, type ApplyResult } from '../apply/apply.js';
import { importPem, importPfx } from '../certs/import.js';
import { differences } from '../config/diff.js';
import { configEtag } from '../config/etag.js';
import { applyMergePatch } from '../config/merge-patch.js';
import { defaultConfig, selfSignedCertName, type Config, type NetworkConfig } from '../config/schema.js';
import { loadRunningConfig, loadSavedConfig, saveConfig, writeRunningConfig } from '../config/store.js';
import { ConfigValidationError, validateConfig, type ConfigIssue } from '../config/validate.js';
import { withDefaults } from '../config/defaults-fill.js';
import { certNameProblem } from '../config/grammar.js';
import { Value } from '@sinclair/typebox/value';
import { CommentSchema, type Actor, type CertificateView, type FieldError, type ParamsOf, type ResetLevel, type ResultOf } from '../engine/protocol.js';
import { certificateFile } from '../render/env.js';
import type { AuditLog } from './audit-log.js';
import type { ApplianceHooks } from './hooks.js';
import { deletionProblem, listCertificates, makeCsr, pendingKeyFile, withPendingKey } from './certificates.js';
import { importCertificate } from './config-changes.js';
import { NetworkConfirmation, movesAddress } from './network-confirmation.js';
import { ApplianceProblem, problemOf } from './problems.js';
import { applianceServiceNames, serviceView, unitsOf, type ApplianceServiceName } from './services-view.js';
import type { SystemControl, UnitAction } from './system-control.js';
import { systemInfo, type SystemInfo } from './system-info.js';
import { ConfigHistory, RevisionNotFoundError, type RevisionMeta, type RevisionSource } from '../history/store.js';
import { withApplianceIdentity } from '../config/identity.js';
import { backupFileName, collectBackup } from '../backup/collect.js';
import { decodeBackup, encodeBackup } from '../backup/format.js';
import { planRestore, type RestorePlan } from '../backup/restore-plan.js';
import { removeOtherCertificates, stageCertificates } from '../backup/stage.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { applianceFirmwarePlatform } from '../firmware/appliance-platform.js';
import type { FirmwarePlatform } from '../firmware/platform.js';
import { FirmwareUpdates } from './firmware-updates.js';

export interface ApplianceDeps {
	readonly apply: ApplyOptions;
	readonly system: SystemControl;
	readonly audit: AuditLog;
	readonly release: { readonly version: string; readonly buildDate: string };
	/** Files on the data partition that hold web accounts (removed by a factory reset). */
	readonly accountFiles: readonly string[];
	/** How long a change waits for one another process (the CLI, the console) is applying. */
	readonly lockWaitMs?: number;
	/** How long a change that moved the appliance's address waits for its confirmation. */
	readonly confirmWindowMs?: number;
	readonly webPort?: number;
	readonly log?: (line: string) => void;
	/** What the HA pair (services/ha) hears of and adds to every change (services/appliance/hooks.ts). */
	readonly hooks?: ApplianceHooks;
	/** The machine's firmware platform (default: the appliance's; EXLB_FIRMWARE_PLATFORM chooses another: platform-choice.ts). */
	readonly firmwarePlatform?: () => FirmwarePlatform;
}

const issuesToErrors = (issues: readonly ConfigIssue[]): FieldError[] => issues.map(({ path: field, message }) => ({ path: field, message }));
const daemonsOf = (result: ApplyResult) => ({ started: [...result.started], reloaded: [...result.reloaded], stopped: [...result.stopped] });

/** The history's source of a save made by a front end (restore, reset and sync name themselves). */
const sourceOf: Record<Actor['via'], RevisionSource> = { web: 'web', token: 'api', cli: 'cli', console: 'console', boot: 'boot', peer: 'sync' };

/** The shortest password a backup is encrypted with (the API's schema says the same; the CLI's is checked here). */
const minBackupPasswordLength = 8;

/** A save's or a revert's comment: one line of at most 200 characters (the CLI passes it unchecked). */
function checkComment(comment: string | undefined): void {
	if (comment !== undefined && !Value.Check(CommentSchema, comment)) {
		throw new ApplianceProblem('invalid', 'comment: must be one line of at most 200 characters, without control characters', [{ path: 'comment', message: 'one line, at most 200 characters' }]);
	}
}

/** What applying and saving a configuration did: the daemons, and the revision it became. */
interface Applied {
	readonly result: ApplyResult;
	readonly saved: RevisionMeta;
}

/** Why a save was made, for the history: its source (default: the actor's front end) and comment. */
export interface SaveReason {
	readonly source?: RevisionSource;
	readonly comment?: string;
}

export class ApplianceService {
	readonly #confirmation: NetworkConfirmation;
	readonly #history: ConfigHistory;
	/** The firmware's slots, its install and the boot of the previous one (firmware-updates.ts). */
	readonly firmware: FirmwareUpdates;

	constructor(private readonly deps: ApplianceDeps) {
		this.#confirmation = new NetworkConfirmation(deps.confirmWindowMs ?? 120_000, (previous) => this.#revertNetwork(previous));
		this.#history = new ConfigHistory(deps.apply.paths.historyDir);
		this.firmware = new FirmwareUpdates({ platform: deps.firmwarePlatform ?? (() => applianceFirmwarePlatform()), audit: deps.audit, lockFile: deps.apply.paths.firmwareLock });
	}

	/**
	 * The one place the saved configuration is written: validated (saveConfig), then kept as a new revision of the
	 * history with who saved it, from where and why. Every caller holds the apply lock.
	 */
	async #writeSaved(config: Config, actor: Actor, reason: SaveReason = {}): Promise<RevisionMeta> {
		await saveConfig(config, this.paths);
		const revision = await this.#history.record(config, { user: actor.user, source: reason.source ?? sourceOf[actor.via], comment: reason.comment ?? '' });
		this.deps.hooks?.saved?.(config, revision, actor);
		return revision;
	}

	#refuseWhileConfirming(what: string): void {
		if (this.#confirmation.pending()) {
			throw new ApplianceProblem('conflict', `a network change is waiting for its confirmation; confirm it before ${what}`, [{ path: 'network', message: 'confirmation pending' }]);
		}
	}

	get paths() {
		return this.deps.apply.paths;
	}

	/** Runs a change under the apply lock and records it in the audit log, done or refused. */
	async #change<T>(actor: Actor, operation: string, work: () => Promise<{ value: T; paths: readonly string[] }>): Promise<T> {
		try {
			const { value, paths } = await withApplyLock(this.paths, work, this.deps.lockWaitMs ?? 30_000);
			await this.deps.audit.record({ time: new Date().toISOString(), actor, operation, paths, outcome: 'done' });
			return value;
		} catch (error) {
			const problem = problemOf(error);
			await this.deps.audit.record({
				time: new Date().toISOString(), actor, operation, paths: (problem.errors ?? []).map((entry) => entry.path).filter(Boolean), outcome: 'refused', message: problem.message,
			});
			throw error;
		}
	}

	async getConfig(source: 'running' | 'saved'): Promise<ResultOf<'config.get'>> {
		const config = source === 'running' ? await loadRunningConfig(this.paths) : await loadSavedConfig(this.paths);
		return { config, etag: config === null ? null : configEtag(config) };
	}

	async diff(): Promise<ResultOf<'config.diff'>> {
		const saved = await loadSavedConfig(this.paths);
		const running = await loadRunningConfig(this.paths);
		return { saved: saved !== null, changes: differences(saved ?? defaultConfig(), running) };
	}

	/** The running configuration with the merge patch applied and validated whole (nothing written). */
	async #patched(running: Config, patch: unknown): Promise<{ config: Config; warnings: ConfigIssue[] }> {
		const result = validateConfig(withDefaults(applyMergePatch(running, patch)));
		if (!result.ok) throw new ConfigValidationError(result.errors);
		const pairProblems = this.deps.hooks?.problems?.(result.config) ?? [];
		if (pairProblems.length > 0) throw new ConfigValidationError([...pairProblems]);
		return { config: result.config, warnings: result.warnings };
	}

	async check(patch: unknown): Promise<ResultOf<'config.check'>> {
		const { config } = await this.#patched(await loadRunningConfig(this.paths), patch);
		const warnings = await checkConfig(config, this.deps.apply);
		return { config, warnings: issuesToErrors(warnings) };
	}

	async patch(params: ParamsOf<'config.patch'>, actor: Actor): Promise<ResultOf<'config.patch'>> {
		return this.#change(actor, 'config.patch', async () => {
			const running = await loadRunningConfig(this.paths);
			if (params.ifMatch !== undefined && params.ifMatch !== configEtag(running)) {
				throw new ApplianceProblem('conflict', 'the running configuration changed since it was read (If-Match does not match its ETag); read it again', [{ path: '', message: 'stale ETag' }]);
			}
			const { config } = await this.#patched(running, params.patch);
			const moved = movesAddress(running.network, config.network);
			if (moved && this.#confirmation.pending()) {
				throw new ApplianceProblem('conflict', 'a network change is waiting for its confirmation; confirm it (or let it roll back) first', [{ path: 'network', message: 'confirmation pending' }]);
			}
			const result = await applyHoldingLock(config, this.deps.apply);
			const changed = differences(running, config).map((change) => change.path);
			const pendingNetwork = moved ? this.#confirmation.start(running.network, config.network, this.deps.webPort ?? 4444) : undefined;
			return {
				value: { config, etag: configEtag(config), warnings: issuesToErrors(result.warnings), daemons: daemonsOf(result), ...(pendingNetwork === undefined ? {} : { pendingNetwork }) },
				paths: changed,
			};
		});
	}

	async save(actor: Actor, comment = ''): Promise<ResultOf<'config.save'>> {
		return this.#change(actor, 'config.save', async () => {
			checkComment(comment);
			this.#refuseWhileConfirming('saving');
			const running = await loadRunningConfig(this.paths);
			const saved = await loadSavedConfig(this.paths);
			const revision = await this.#writeSaved(running, actor, { comment });
			return { value: { etag: configEtag(running), revision: revision.id }, paths: differences(saved ?? defaultConfig(), running).map((change) => change.path) };
		});
	}

	async listHistory(): Promise<ResultOf<'history.list'>> {
		return { revisions: [...await this.#history.list()] };
	}

	/** A revision of the history, or a "not found" naming the field the number came in. */
	async #revision(id: number, field: string) {
		try {
			return await this.#history.get(id);
		} catch (error) {
			if (error instanceof RevisionNotFoundError) throw new ApplianceProblem('not-found', error.message, [{ path: field, message: `no revision ${id}` }], { cause: error });
			throw error;
		}
	}

	/** Each field where revision `to` differs from revision `from`. */
	async diffRevisions(from: number, to: number): Promise<ResultOf<'history.diff'>> {
		const [older, newer] = [await this.#revision(from, 'from'), await this.#revision(to, 'to')];
		return { from, to, changes: differences(older.config, newer.config).map((change) => ({ path: change.path, from: change.saved, to: change.running })) };
	}

	/**
	 * Applies a revision of the history and saves it as a new revision. The appliance's own address, gateway and
	 * HA role stay as they are unless `includeNetwork` (a revert is not a way to lose the appliance).
	 */
	async revert(params: ParamsOf<'history.revert'>, actor: Actor): Promise<ResultOf<'history.revert'>> {
		return this.#change(actor, 'history.revert', async () => {
			checkComment(params.comment);
			this.#refuseWhileConfirming('reverting');
			const revision = await this.#revision(params.id, 'id');
			const running = await loadRunningConfig(this.paths);
			const target = params.includeNetwork === true ? revision.config : withApplianceIdentity(revision.config, running);
			const comment = `revert to revision ${revision.id}${params.comment ? `: ${params.comment}` : ''}`;
			const { result, saved } = await this.#applyAndSave(target, running, actor, { comment });
			return {
				value: { revision: saved.id, config: target, etag: configEtag(target), warnings: issuesToErrors(result.warnings), daemons: daemonsOf(result) },
				paths: differences(running, target).map((change) => change.path),
			};
		});
	}

	/**
	 * Applies `target` (checked by the daemons first; a daemon that fails gets the previous rendering back) and saves it
	 * with its revision; if saving fails, `previous` is applied again. The caller holds the apply lock.
	 */
	async #applyAndSave(target: Config, previous: Config, actor: Actor, reason: SaveReason, beforeRollback = async () => {}): Promise<Applied> {
		const result = await applyHoldingLock(target, this.deps.apply);
		try {
			return { result, saved: await this.#writeSaved(target, actor, reason) };
		} catch (error) {
			await beforeRollback();
			await applyHoldingLock(previous, this.deps.apply).catch((rollback: unknown) => {
				throw new AggregateError([error, rollback], `saving failed and putting the previous configuration back failed too: ${(rollback as Error).message}`, { cause: error });
			});
			throw error;
		}
	}

	/**
	 * An operational state change (a server's drain or maintenance): applied to the running configuration under
	 * the lock and written through to the saved one at once, entry by entry (serverStates), so it survives a reboot
	 * without saving any other pending change.
	 */
	async changeServerStates(actor: Actor, change: (running: Config) => Config): Promise<Config> {
		return this.#change(actor, 'servers.setState', async () => {
			const running = await loadRunningConfig(this.paths);
			const next = change(running);
			const changed = Object.keys({ ...running.serverStates, ...next.serverStates }).filter((address) => running.serverStates[address] !== next.serverStates[address]);
			await applyHoldingLock(next, this.deps.apply);
			const saved = await loadSavedConfig(this.paths);
			if (saved !== null) {
				const states = { ...saved.serverStates };
				const listed = new Set([...saved.casServers, ...saved.hubServers]);
				for (const address of changed.filter((entry) => listed.has(entry))) {
					const state = next.serverStates[address];
					if (state === undefined) delete states[address];
					else states[address] = state;
				}
				await this.#writeSaved({ ...saved, serverStates: states }, actor, { comment: `server states: ${changed.map((address) => `${address} ${next.serverStates[address] ?? 'ready'}`).join(', ')}` });
			}
			if (changed.length > 0) this.deps.hooks?.serverStatesChanged?.(changed.map((address) => ({ address, state: next.serverStates[address] ?? 'ready' })), actor);
			return { value: next, paths: changed.map((address) => `serverStates.${address}`) };
		});
	}

	/** Keeps a network change that moved the address; `serverAddress` is the address the confirmation reached. */
	async confirmNetwork(serverAddress: string, actor: Actor): Promise<ResultOf<'network.confirm'>> {
		const confirmed = this.#confirmation.confirm(serverAddress);
		await this.deps.audit.record({ time: new Date().toISOString(), actor, operation: 'network.confirm', paths: ['network'], outcome: confirmed ? 'done' : 'refused' });
		return { confirmed };
	}

	async #revertNetwork(previous: NetworkConfig): Promise<void> {
		const actor: Actor = { user: 'exlb', address: '', via: 'boot' };
		try {
			await this.#change(actor, 'network.rollback', async () => {
				const running = await loadRunningConfig(this.paths);
				await applyHoldingLock({ ...running, network: previous }, this.deps.apply);
				return { value: undefined, paths: ['network'] };
			});
			this.deps.log?.('network change not confirmed in time: the previous network settings are back');
		} catch (error) {
			this.deps.log?.(`network change not confirmed, and rolling it back failed: ${(error as Error).message}`);
		}
	}

	/** Both records with `network` in place (the saved one: only when saving), each validated whole. */
	async #withNetwork(network: NetworkConfig, save: boolean): Promise<{ running: Config; saved: Config }> {
		const running = { ...(await loadRunningConfig(this.paths)), network };
		const saved = { ...((await loadSavedConfig(this.paths)) ?? running), network };
		for (const config of save ? [running, saved] : [running]) {
			const result = validateConfig(config);
			if (!result.ok) throw new ConfigValidationError(result.errors);
		}
		return { running, saved };
	}

	/**
	 * The console's network change: applied with the whole configuration (keepalived follows the new subnet),
	 * recorded as running, and with `save` also saved, keeping each record's other settings. Both records are
	 * validated before anything is applied, so a network one of them refuses changes nothing.
	 */
	async applyNetwork(network: NetworkConfig, options: { save: boolean }, actor: Actor): Promise<void> {
		await this.#change(actor, options.save ? 'network.save' : 'network.apply', async () => {
			const { running, saved } = await this.#withNetwork(network, options.save);
			await applyHoldingLock(running, this.deps.apply);
			if (options.save) await this.#writeSaved(saved, actor, { comment: 'network settings' });
			return { value: undefined, paths: ['network'] };
		});
	}

	/**
	 * Records network settings already in force (the console after its back end applied them, or a DHCP lease) as
	 * running, and with `save` also saved; each record keeps its other settings, both are validated first.
	 */
	async recordNetwork(network: NetworkConfig, options: { save: boolean }, actor: Actor): Promise<void> {
		await this.#change(actor, options.save ? 'network.save' : 'network.record', async () => {
			const { running, saved } = await this.#withNetwork(network, options.save);
			if (options.save) await this.#writeSaved(saved, actor, { comment: 'network settings' });
			await writeRunningConfig(running, this.paths);
			return { value: undefined, paths: ['network'] };
		});
	}

	/** The console menu's "reset the web admin password": back to admin/admin, to be changed at the next login. */
	async resetAdminPassword(actor: Actor): Promise<void> {
		await this.#changeWith(actor, 'account.reset', ['account.password'], () => rm(this.paths.adminPasswordFile, { force: true }));
	}

	/** Refuses a network the running (and, to be saved, the saved) configuration refuses; changes nothing. */
	async checkNetwork(network: NetworkConfig, options: { save: boolean }): Promise<void> {
		await this.#withNetwork(network, options.save);
	}

	async listCertificates(): Promise<CertificateView[]> {
		return listCertificates(await loadRunningConfig(this.paths), this.deps.apply.env);
	}

	async importCertificate(params: ParamsOf<'certificates.import'>, actor: Actor): Promise<ResultOf<'certificates.import'>> {
		const problem = certNameProblem(params.name) ?? (params.name === selfSignedCertName ? `"${selfSignedCertName}" is reserved for the generated certificate` : null);
		if (problem !== null) throw new ApplianceProblem('invalid', `name: ${problem}`, [{ path: 'name', message: problem }]);
		if ((params.pem === undefined) === (params.pfxBase64 === undefined)) {
			throw new ApplianceProblem('invalid', 'give either a PEM or a PFX file', [{ path: 'file', message: 'exactly one of pem and pfx' }]);
		}
		const imported = params.pem !== undefined
			? await importPem(params.name, await withPendingKey(this.deps.apply.env, params.name, params.pem))
			: await importPfx(params.name, Buffer.from(params.pfxBase64 ?? '', 'base64'), params.password ?? '');
		const result = await this.#changeWith(actor, 'certificates.import', [`certificates.${params.name}`], () => importCertificate(this.deps.apply, imported));
		await rm(pendingKeyFile(this.deps.apply.env, params.name), { force: true });
		const view = (await listCertificates(result.config, this.deps.apply.env)).find((cert) => cert.name === params.name);
		if (view === undefined) throw new ApplianceProblem('failed', `certificate ${params.name} was imported but cannot be read back`);
		const expired = Date.parse(view.notAfter) < Date.now() ? [{ path: 'file', message: `the certificate expired on ${view.notAfter}` }] : [];
		return { certificate: view, warnings: [...issuesToErrors(result.warnings), ...expired] };
	}

	/** A change that takes the apply lock itself (config-changes.ts), audited like the others. */
	async #changeWith<T>(actor: Actor, operation: string, paths: readonly string[], work: () => Promise<T>): Promise<T> {
		try {
			const value = await work();
			await this.deps.audit.record({ time: new Date().toISOString(), actor, operation, paths, outcome: 'done' });
			return value;
		} catch (error) {
			await this.deps.audit.record({ time: new Date().toISOString(), actor, operation, paths, outcome: 'refused', message: problemOf(error).message });
			throw error;
		}
	}

	async deleteCertificate(name: string, actor: Actor): Promise<void> {
		await this.#change(actor, 'certificates.delete', async () => {
			const running = await loadRunningConfig(this.paths);
			const problem = deletionProblem(running, name);
			if (problem !== null) throw problem;
			const config = { ...running, certificates: running.certificates.filter((cert) => cert.name !== name) };
			await applyHoldingLock(config, this.deps.apply);
			// The saved configuration may still name it: the file goes once neither record does.
			const saved = await loadSavedConfig(this.paths);
			if (!(saved?.certificates.some((cert) => cert.name === name) ?? false)) await rm(certificateFile(this.deps.apply.env, name), { force: true });
			return { value: undefined, paths: [`certificates.${name}`] };
		});
	}

	async makeCsr(params: ParamsOf<'certificates.csr'>, actor: Actor): Promise<string> {
		const problem = certNameProblem(params.name);
		if (problem !== null) throw new ApplianceProblem('invalid', `name: ${problem}`, [{ path: 'name', message: problem }]);
		return this.#changeWith(actor, 'certificates.csr', [`certificates.${params.name}`], () => makeCsr(this.deps.apply.env, params.name, params.commonName, params.altNames));
	}

	async listServices(): Promise<ResultOf<'services.list'>> {
		const config = await loadRunningConfig(this.paths);
		const stunnelUnits = await this.deps.system.unitsMatching('stunnel@exlb-*.service');
		const services = await Promise.all(applianceServiceNames.map(async (name) => serviceView(name, config, await this.deps.system.unitStates(unitsOf(name, config, stunnelUnits)))));
		return { services };
	}

	async controlService(name: ApplianceServiceName, action: UnitAction, actor: Actor): Promise<ResultOf<'services.control'>> {
		if (name === 'system') {
			if (action !== 'restart') throw new ApplianceProblem('invalid', 'the system can only be restarted (a reboot)', [{ path: 'action', message: `${action} is not possible for system` }]);
			await this.reboot(actor);
		} else {
			await this.#changeWith(actor, `services.${action}`, [name], async () => {
				const config = await loadRunningConfig(this.paths);
				for (const unit of unitsOf(name, config, await this.deps.system.unitsMatching('stunnel@exlb-*.service'))) await this.deps.system.control(unit, action);
			});
		}
		const service = (await this.listServices()).services.find((entry) => entry.name === name);
		if (service === undefined) throw new ApplianceProblem('not-found', `no service ${name}`);
		return { service };
	}

	async info(): Promise<SystemInfo> {
		return systemInfo({ ...this.deps.release, nic: this.deps.apply.env.interface });
	}

	async reboot(actor: Actor): Promise<void> {
		await this.#changeWith(actor, 'system.reboot', [], () => this.deps.system.reboot());
	}

	async powerOff(actor: Actor): Promise<void> {
		await this.#changeWith(actor, 'system.powerOff', [], () => this.deps.system.powerOff());
	}

	/**
	 * A backup of the saved configuration: the file (encrypted with `password`; required when it holds certificate
	 * keys), its name and its manifest. Nothing saved yet: refused (there is nothing to restore from it).
	 */
	async createBackup(password: string | undefined, actor: Actor): Promise<ResultOf<'backup.create'>> {
		return this.#change(actor, 'backup.create', async () => {
			if (password !== undefined && password.length < minBackupPasswordLength) {
				throw new ApplianceProblem('invalid', `password: at least ${minBackupPasswordLength} characters`, [{ path: 'password', message: `shorter than ${minBackupPasswordLength} characters` }]);
			}
			const saved = await loadSavedConfig(this.paths);
			if (saved === null) throw new ApplianceProblem('not-found', 'nothing is saved yet: save the configuration, then make the backup', [{ path: '', message: 'no saved configuration' }]);
			const { manifest, contents } = await collectBackup(saved, this.deps.apply.env, await this.#history.list(), this.deps.release.version);
			const file = await encodeBackup(manifest, contents, password ?? null);
			return { value: { fileName: backupFileName(manifest), contentBase64: file.toString('base64'), manifest }, paths: [] };
		});
	}

	/**
	 * Restores a backup: decrypted and authenticated, its schema version checked (newer refused, older migrated), the
	 * configuration validated with its certificates, this appliance's network settings and HA role kept unless
	 * `includeNetwork`; then applied (the daemons check the rendering first) and saved as a new revision. Any failure
	 * leaves the certificates, the running and the saved configuration as they were.
	 */
	async restore(params: ParamsOf<'backup.restore'>, actor: Actor): Promise<ResultOf<'backup.restore'>> {
		return this.#change(actor, 'backup.restore', async () => {
			this.#refuseWhileConfirming('restoring a backup');
			const { manifest, contents } = await decodeBackup(Buffer.from(params.contentBase64, 'base64'), params.password ?? null);
			const running = await loadRunningConfig(this.paths);
			const plan = await planRestore(manifest, contents, running, { includeNetwork: params.includeNetwork === true });
			const comment = `backup of ${manifest.hostname} made ${manifest.created} by exlb ${manifest.firmwareVersion}${params.includeNetwork === true ? ', network included' : ''}`;
			const applied = await this.#install(plan, running, actor, { source: 'restore', comment });
			return {
				value: {
					revision: applied.saved.id, manifest, etag: configEtag(plan.config), warnings: [...issuesToErrors(plan.warnings), ...issuesToErrors(applied.result.warnings)],
					daemons: daemonsOf(applied.result), history: contents.history,
				},
				paths: differences(running, plan.config).map((change) => change.path),
			};
		});
	}

	/**
	 * Puts in force a configuration made elsewhere (a backup, the HA primary's shared part): its certificate files
	 * staged first (stunnel's check loads them), applied, saved with `reason`; any failure puts the certificates, the
	 * running and the saved configuration back as they were. The caller holds the apply lock.
	 */
	async #install(plan: RestorePlan, running: Config, actor: Actor, reason: SaveReason): Promise<Applied> {
		const staged = await stageCertificates(this.deps.apply.env, plan.certificates);
		let applied: Applied;
		// undo() puts back what staging replaced; running it twice (a failed save, then here) writes the same files.
		try {
			applied = await this.#applyAndSave(plan.config, running, actor, reason, () => staged.undo());
		} catch (error) {
			await staged.undo();
			throw error;
		}
		await removeOtherCertificates(this.deps.apply.env, plan.config.certificates.map((cert) => cert.name));
		return applied;
	}

	/**
	 * The HA config primary's shared part (services/ha): `plan` builds, from the running configuration, what to put in
	 * force (the shared part replaced wholesale, validated, its certificates checked), then it is applied like a
	 * restore and saved with source "sync". A refusal anywhere changes nothing.
	 */
	async applySync(plan: (running: Config) => Promise<RestorePlan>, actor: Actor, comment: string): Promise<{ config: Config; revision: RevisionMeta; warnings: FieldError[] }> {
		return this.#change(actor, 'ha.sync', async () => {
			this.#refuseWhileConfirming('applying the HA primary\'s configuration');
			const running = await loadRunningConfig(this.paths);
			const target = await plan(running);
			const applied = await this.#install(target, running, actor, { source: 'sync', comment });
			return {
				value: { config: target.config, revision: applied.saved, warnings: [...issuesToErrors(target.warnings), ...issuesToErrors(applied.result.warnings)] },
				paths: differences(running, target.config).map((change) => change.path),
			};
		});
	}

	/**
	 * Back to factory settings; neither level touches the firmware.
	 * - configuration: the load-balancing settings go back to the defaults and are applied at once, keeping the
	 *   network settings in force (the appliance stays reachable); imported certificates, the history, web accounts
	 *   and API tokens are erased (the admin password is back to the first-login flow; the generated self-signed
	 *   certificate, the web interface's, stays). The saved configuration is the result: revision 1 of a new history.
	 * - everything: the same files are erased now and the data partition is marked to be re-created at the next boot
	 *   before any service starts (machine id, logs, everything), which leads to the first-boot prompt; `reboot`.
	 */
	async factoryReset(actor: Actor, options: { level: ResetLevel; reboot: boolean }): Promise<void> {
		await this.#change(actor, `system.factoryReset.${options.level}`, async () => {
			if (options.level === 'configuration') {
				this.#refuseWhileConfirming('a factory reset');
				const running = await loadRunningConfig(this.paths);
				const target: Config = { ...defaultConfig(), network: running.network };
				await applyHoldingLock(target, this.deps.apply);
				await this.#eraseSettings({ keepGenerated: true });
				await this.#writeSaved(target, actor, { source: 'reset', comment: 'factory reset: configuration erased, network settings kept' });
			} else {
				await writeFileAtomic(this.paths.eraseMarker, `${JSON.stringify({ time: new Date().toISOString(), user: actor.user, via: actor.via })}\n`, { mode: 0o600 });
				await this.#eraseSettings({ keepGenerated: false });
				await rm(this.paths.savedConfig, { force: true });
			}
			return { value: undefined, paths: ['*'] };
		});
		if (options.reboot) await this.deps.system.reboot();
	}

	/**
	 * Certificates and keys, the history, web accounts and tokens. `keepGenerated`: the generated self-signed
	 * certificate stays (the web interface's own, which browsers were told to trust; imported ones all go).
	 */
	async #eraseSettings(options: { keepGenerated: boolean }): Promise<void> {
		for (const file of this.deps.accountFiles) await rm(file, { force: true });
		const generated = path.basename(certificateFile(this.deps.apply.env, selfSignedCertName));
		const certFiles = await readdir(this.deps.apply.env.certDir).catch(() => [] as string[]);
		for (const file of certFiles.filter((name) => !(options.keepGenerated && name === generated))) await rm(path.join(this.deps.apply.env.certDir, file), { force: true });
		await this.#history.clear();
	}

	async auditEntries(limit: number): Promise<ResultOf<'audit.list'>> {
		return { entries: (await this.deps.audit.latest(limit)).map((entry) => ({ ...entry, paths: [...entry.paths] })) };
	}
}
