// Typed build errors: each names the step, the command, the last lines of its output and a hint (mkosi-style).

/** A build step failed: what ran, what it printed last, what to try. */
export class BuildStepError extends Error {
	override readonly name = 'BuildStepError';
	constructor(
		readonly step: string,
		readonly command: string,
		readonly outputTail: string,
		readonly hint: string,
		options?: { cause?: unknown },
	) {
		super(`step "${step}" failed: ${command}`, options);
	}

	/** The multi-line report printed to the user. */
	report(): string {
		const tail = this.outputTail.trim() === '' ? '  (no output)' : this.outputTail.trim().split('\n').map((line) => `  | ${line}`).join('\n');
		return [`✗ step "${this.step}" failed`, `  command: ${this.command}`, '  last output:', tail, `  hint: ${this.hint}`].join('\n');
	}
}

/** The recipe file holds a value the build cannot use. */
export class RecipeError extends Error {
	override readonly name = 'RecipeError';
	constructor(
		readonly field: string,
		readonly value: unknown,
		readonly problem: string,
	) {
		super(`recipe ${field}: ${JSON.stringify(value)} ${problem}`);
	}
}

/** A tool the build needs is not installed on the host. */
export class HostToolMissingError extends Error {
	override readonly name = 'HostToolMissingError';
	constructor(
		readonly tool: string,
		readonly debianPackage: string,
	) {
		super(`host tool "${tool}" is missing (Debian package ${debianPackage}); run "make deps" or apt-get install ${debianPackage}`);
	}
}

/** An input of the SBOM (a package manifest, the dpkg database) lacks a field the SBOM needs. */
export class SbomInputError extends Error {
	override readonly name = 'SbomInputError';
	constructor(
		readonly source: string,
		readonly field: string,
		readonly value: unknown,
		readonly problem: string,
	) {
		super(`SBOM input ${source}: ${field} ${JSON.stringify(value)} ${problem}`);
	}
}
