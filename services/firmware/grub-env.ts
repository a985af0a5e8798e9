// GRUB's environment block (grub-core/lib/envblk.c): a fixed-size file starting "# GRUB Environment Block\n", then
// name=value lines; a line starting with '#' is a comment; the unused rest is '#' padding. GRUB's load_env reads
// it, save_env rewrites it in place (same size), so the format here is exactly what GRUB parses.

export const grubEnvSignature = '# GRUB Environment Block\n';

/** The usual block size (grub-editenv's), two 512-byte sectors. */
export const grubEnvBytes = 1024;

/** A name GRUB accepts and a value we never need to escape (no newline, no backslash, printable ASCII). */
const namePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
const valuePattern = /^[\x20-\x5b\x5d-\x7e]*$/;

export class GrubEnvError extends Error {
	override readonly name = 'GrubEnvError';
}

/** One line of variables: checked, so a value can never break the block's lines. */
export function envLine(name: string, value: string): string {
	if (!namePattern.test(name)) throw new GrubEnvError(`environment variable name ${JSON.stringify(name)} is not a GRUB name`);
	if (!valuePattern.test(value)) throw new GrubEnvError(`environment variable ${name} value ${JSON.stringify(value)} has a character GRUB would need escaped`);
	return `${name}=${value}\n`;
}

/**
 * Reads the variables as GRUB does: undefined when the signature is missing (GRUB's load_env fails then);
 * comment and padding lines skipped; backslash escapes undone. The last definition of a name wins.
 */
export function parseGrubEnv(block: Buffer): Map<string, string> | undefined {
	const text = block.toString('latin1');
	if (!text.startsWith(grubEnvSignature)) return undefined;
	const variables = new Map<string, string>();
	let position = grubEnvSignature.length;
	while (position < text.length) {
		const end = lineEnd(text, position);
		const line = text.slice(position, end);
		position = end + 1;
		if (line.startsWith('#') || line === '') continue;
		const equals = line.indexOf('=');
		if (equals <= 0) continue;
		variables.set(line.slice(0, equals), line.slice(equals + 1).replace(/\\(.)/g, '$1'));
	}
	return variables;
}

/** The index of the newline ending the line at `start` (a backslash escapes the next character), or the text's end. */
function lineEnd(text: string, start: number): number {
	for (let i = start; i < text.length; i++) {
		if (text[i] === '\\') i++;
		else if (text[i] === '\n') return i;
	}
	return text.length;
}
