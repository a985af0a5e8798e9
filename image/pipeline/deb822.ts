// Debian's control-file format (deb822), as dpkg's status database and a suite's Release file use it:
// paragraphs separated by blank lines, each of "Field: value" lines. Continuation lines (starting with a space,
// such as a Release file's hash lists) are not folded into their field; callers that need them read them directly.

/** The simple fields of each paragraph, in order. */
export function deb822Paragraphs(text: string): Map<string, string>[] {
	const paragraphs: Map<string, string>[] = [];
	for (const block of text.split(/\n\s*\n/)) {
		const fields = new Map<string, string>();
		for (const line of block.split('\n')) {
			const match = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
			if (match) fields.set(match[1]!, match[2]!);
		}
		if (fields.size > 0) paragraphs.push(fields);
	}
	return paragraphs;
}
