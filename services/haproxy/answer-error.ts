// An answer of haproxy's runtime API that is not the format its command produces (an error text, usually).

export class UnexpectedAnswerError extends Error {
	override readonly name = 'UnexpectedAnswerError';
	constructor(readonly command: string, readonly line: string, options?: { cause?: unknown }) {
		super(`unexpected answer to "${command}": ${JSON.stringify(line.slice(0, 200))}`, options);
	}
}
