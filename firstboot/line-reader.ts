// Asks one question on one console and resolves with the answer line, an interrupt (Ctrl-C) or the console closing.
import type { ConsoleIo } from './console-io.js';
import { editLine, emptyLine } from './line-editor.js';

export type ReadResult = { readonly kind: 'line'; readonly text: string } | { readonly kind: 'interrupt' } | { readonly kind: 'closed' };

export function readLine(io: ConsoleIo, prompt: string): Promise<ReadResult> {
	return new Promise((resolve) => {
		let state = emptyLine;
		let done = false;
		const finish = (result: ReadResult) => {
			if (done) return;
			done = true;
			unsubscribe();
			resolve(result);
		};
		const unsubscribe = io.subscribe({
			input(data) {
				const step = editLine(state, data);
				state = step.state;
				io.write(step.echo);
				const first = step.events[0];
				if (first !== undefined) finish(first.type === 'submit' ? { kind: 'line', text: first.text } : { kind: 'interrupt' });
			},
			closed: () => finish({ kind: 'closed' }),
		});
		io.write(prompt);
	});
}

/** A (N/y) question: Enter or n means no; anything else asks again with the reason. Null when the console closed. */
export async function confirm(io: ConsoleIo, question: string): Promise<boolean | null> {
	for (;;) {
		const answer = await readLine(io, `${question} (N/y)? `);
		if (answer.kind === 'closed') return null;
		if (answer.kind === 'interrupt') return false;
		const text = answer.text.trim().toLowerCase();
		if (text === '' || text === 'n' || text === 'no') return false;
		if (text === 'y' || text === 'yes') return true;
		io.write(`Invalid answer: ${JSON.stringify(answer.text)} is neither y nor n\r\n`);
	}
}
