// A validation finding about one field: its dotted path, the offending value and a one-line reason.

export interface ConfigIssue {
	readonly path: string;
	readonly value: unknown;
	readonly message: string;
}

/** Records a finding about one field (the checks get one for errors and one for warnings). */
export type Report = (path: string, value: unknown, message: string) => void;

/** `http.casHttpPort: 70000 is not a port` */
export function formatIssue(issue: ConfigIssue): string {
	return issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`;
}

/** How a value is quoted inside a message: numbers as they are, strings JSON-quoted so a newline shows as \n. */
export function showValue(value: unknown): string {
	if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
	if (value === undefined) return 'nothing';
	const text = JSON.stringify(value);
	return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** JSON-pointer segments (/routes/0/router) to the path users type (routes[0].router). */
export function pathFromSegments(segments: readonly (string | number)[]): string {
	let out = '';
	for (const segment of segments) {
		if (typeof segment === 'number' || /^[0-9]+$/.test(segment)) out += `[${segment}]`;
		// A map's key that is not a name (serverStates["10.0.0.1"]) is quoted, so its dots are not path separators.
		else if (!/^[A-Za-z][A-Za-z0-9]*$/.test(segment)) out += `[${JSON.stringify(segment)}]`;
		else out += out === '' ? segment : `.${segment}`;
	}
	return out;
}

export class ConfigValidationError extends Error {
	override readonly name = 'ConfigValidationError';
	constructor(readonly issues: readonly ConfigIssue[], readonly source?: string, options?: { cause?: unknown }) {
		const heading = source === undefined ? 'invalid configuration' : `invalid configuration in ${source}`;
		super(`${heading}:\n${issues.map((issue) => `  ${formatIssue(issue)}`).join('\n')}`, options);
	}
}
