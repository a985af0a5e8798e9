// The SHA-256 of a file (or of its first `length` bytes: a slot device is larger than what was written into it), streamed.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export async function sha256File(file: string, length?: number): Promise<string> {
	const hash = createHash('sha256');
	if (length === 0) return hash.digest('hex');
	for await (const chunk of createReadStream(file, length === undefined ? {} : { start: 0, end: length - 1 })) hash.update(chunk as Buffer);
	return hash.digest('hex');
}
