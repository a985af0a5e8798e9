// `show info`: "Name: value" lines about the haproxy process (version, pid, uptime, connection counters).
import { UnexpectedAnswerError } from './answer-error.js';

export function parseInfo(text: string): ReadonlyMap<string, string> {
	const info = new Map<string, string>();
	for (const line of text.split('\n')) {
		if (line.trim() === '') continue;
		const colon = line.indexOf(':');
		if (colon <= 0) throw new UnexpectedAnswerError('show info', line);
		info.set(line.slice(0, colon), line.slice(colon + 1).trim());
	}
	if (!info.has('Version')) throw new UnexpectedAnswerError('show info', text.split('\n')[0] ?? '');
	return info;
}
