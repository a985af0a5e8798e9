// A tiny terminal screen for tests: applies what the agent writes (CR, LF, backspace, clear-to-end-of-line) so
// tests assert what a person would see, e.g. the countdown redrawn in place on one line.
export class Screen {
	private readonly lines: string[] = [''];
	private row = 0;
	private column = 0;
	/** Everything received, raw. */
	raw = '';

	feed(data: string): void {
		this.raw += data;
		for (let index = 0; index < data.length; index++) {
			const char = data[index] as string;
			if (char === '\x1b') {
				const csi = /^\x1b\[([0-9;]*)([@-~])/.exec(data.slice(index));
				if (csi !== null) {
					if (csi[2] === 'K') this.setLine((this.lines[this.row] ?? '').slice(0, this.column));
					index += csi[0].length - 1;
				}
			} else if (char === '\r') this.column = 0;
			else if (char === '\n') {
				this.row += 1;
				if (this.lines.length <= this.row) this.lines.push('');
			} else if (char === '\b') this.column = Math.max(0, this.column - 1);
			else if (char >= ' ') {
				const line = (this.lines[this.row] ?? '').padEnd(this.column);
				this.setLine(line.slice(0, this.column) + char + line.slice(this.column + 1));
				this.column += 1;
			}
		}
	}

	private setLine(text: string): void {
		this.lines[this.row] = text;
	}

	/** The screen as lines, trailing spaces removed. */
	text(): string[] {
		return this.lines.map((line) => line.trimEnd());
	}

	/** The line the cursor is on. */
	current(): string {
		return (this.lines[this.row] ?? '').trimEnd();
	}
}
