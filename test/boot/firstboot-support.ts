// Shared by the first-boot QEMU tests and scripts/bench-firstboot.ts: the image, the console texts, waits.
import { execa } from 'execa';
import { artifacts, requireArtifact } from '../helpers/image-artifacts.js';

/** The qcow2 `make image` writes (a clear error when it has not run). */
export const imageFile = (): string => requireArtifact(artifacts.qcow2);

/** TCG boots are slow and noisy (two at once on two cores): generous deadlines, never asserted as timings. */
export const bootDeadlineMs = 480_000;
export const stepDeadlineMs = 120_000;

export const countdownStart = /Retrieve IP using DHCP or configure static \.\.\. 10sec \(D\/s\)\? /;
export const countdownEnd = /Retrieve IP using DHCP or configure static \.\.\. 0sec \(D\/s\)\? /;
/** The end of every set-up path: the title, then the URL. */
export const webBanner = (address: string) => new RegExp(`Access WEB User Interface :\\nhttps://${address.replaceAll('.', '\\.')}:4444/`);
export const menuPrompt = /Choice \(1-6\)\? /;

/**
 * Fetches the web URL with real curl until it answers or the deadline passes (the appliance generates its
 * certificate in the background, and TCG is slow). `command` runs curl elsewhere (e.g. inside a namespace).
 */
export async function fetchUntilAnswered(url: string, deadlineMs: number, options: { prefix?: string[]; resolve?: string } = {}): Promise<string> {
	const deadline = Date.now() + deadlineMs;
	let last = '';
	for (;;) {
		const curl = ['curl', '-sS', '-k', '--max-time', '10', ...(options.resolve ? ['--resolve', options.resolve] : []), url];
		const [command, ...args] = [...(options.prefix ?? []), ...curl] as [string, ...string[]];
		const result = await execa(command, args, { reject: false });
		if (result.exitCode === 0) return result.stdout;
		last = result.stderr;
		if (Date.now() > deadline) throw new Error(`${url} did not answer within ${deadlineMs} ms: ${last}`);
		// Poll, bounded by the deadline above (curl itself waits up to 10 s per attempt).
		await new Promise((resolve) => setTimeout(resolve, 2000));
	}
}
