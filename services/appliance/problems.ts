// One classifier of failures for every front end: what kind of refusal an error is (the web API's status code,
// the CLI's exit code), the message a person reads, and the fields it names. Unexpected failures keep their cause
// chain for the log but never reach a client as a stack.
import { ApplyError, RenderCheckError } from '../apply/errors.js';
import { ApplyLockBusyError } from '../apply/lock.js';
import { BackupError } from '../backup/errors.js';
import { BundleError, BundleKeyError, SlotError } from '../firmware/bundle-errors.js';
import { PfxPasswordError } from '../certs/import.js';
import { CertificateError } from '../certs/pem.js';
import { ConfigValidationError } from '../config/issues.js';
import { ConfigFileError } from '../config/store.js';
import { FieldPathError } from '../config/field-path.js';
import type { FieldError, Problem, ProblemKind } from '../engine/protocol.js';

/** A refusal the appliance service raises on purpose, with its kind and the fields it is about. */
export class ApplianceProblem extends Error {
	override readonly name = 'ApplianceProblem';
	constructor(readonly kind: ProblemKind, message: string, readonly errors: readonly FieldError[] = [], options?: { cause?: unknown; retryAfterSeconds?: number }) {
		super(message, options);
		this.retryAfterSeconds = options?.retryAfterSeconds;
	}
	readonly retryAfterSeconds: number | undefined;
}

/** The problem an error stands for; anything not recognised is "failed" with its message only. */
export function problemOf(error: unknown): Problem {
	if (error instanceof ApplianceProblem) {
		return {
			kind: error.kind,
			message: error.message,
			...(error.errors.length > 0 ? { errors: [...error.errors] } : {}),
			...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
		};
	}
	if (error instanceof ConfigValidationError) {
		return { kind: 'invalid', message: 'the configuration was refused; nothing was changed', errors: error.issues.map(({ path, message }) => ({ path, message })) };
	}
	if (error instanceof RenderCheckError) {
		return {
			kind: 'refused-by-daemon',
			message: 'a daemon refused the rendered configuration; nothing was changed',
			errors: error.problems.map((problem) => ({ path: problem.field ?? '', message: `${problem.daemon}: ${problem.message}` })),
		};
	}
	if (error instanceof BackupError) return { kind: 'invalid', message: `the backup was refused: ${error.message}`, errors: [{ path: error.field, message: error.message }] };
	// A bundle refused for what it is; the appliance's own keys or slot failing is not the upload's fault.
	if (error instanceof BundleError && !(error instanceof BundleKeyError || error instanceof SlotError)) {
		return { kind: 'invalid', message: `the firmware bundle was refused: ${error.message}`, errors: [{ path: error.field, message: error.message }] };
	}
	if (error instanceof ApplyLockBusyError) return { kind: 'busy', message: 'another change is being applied; try again', retryAfterSeconds: 2 };
	// Named after the upload's fields (file, password), so a form shows each refusal beside the field to correct.
	if (error instanceof PfxPasswordError) return { kind: 'invalid', message: error.message, errors: [{ path: 'password', message: error.message }] };
	if (error instanceof CertificateError) return { kind: 'invalid', message: error.message, errors: [{ path: 'file', message: error.message }] };
	if (error instanceof FieldPathError || error instanceof ConfigFileError) return { kind: 'invalid', message: error.message };
	if (error instanceof ApplyError) return { kind: 'failed', message: error.message };
	return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
}
