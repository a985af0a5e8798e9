// Shared by the first-boot QEMU tests and scripts/bench-firstboot.ts: the image, the console texts, waits.
import { execa } from 'execa';
import { waitFor } from '../../services/apply/wait.js';
import { artifacts, requireArtifact } from '../helpers/image-artifacts.js';

/** The qcow2 `make image` writes (a clear error when it has not run). */
export const imageFile = (): string => requireArtifact(artifacts.qcow2);

/** TCG boots are slow and noisy (two at once on two cores): generous deadlines, never asserted as timings. */
export const bootDeadlineMs = 480_000;
export const stepDeadlineMs = 120_000;
/** From the banner to the API answering: the engine and the web server start after the boot's apply, at low priority. */
export const apiDeadlineMs = 300_000;

export const countdownStart = /Retrieve IP using DHCP or configure static \.\.\. 10sec \(D\/s\)\? /;
export const countdownEnd = /Retrieve IP using DHCP or configure static \.\.\. 0sec \(D\/s\)\? /;
/** The end of every set-up path: the title, then the URL. */
export const webBanner = (address: string) => new RegExp(`Access WEB User Interface :\\nhttps://${address.replaceAll('.', '\\.')}:4444/`);
export const menuPrompt = /Choice \(1-6\)\? /;
/** The web interface's page on https://<address>:4444/ (web-ui/build.ts indexHtml): its title and hashed script. */
export const webInterfacePage = /<title>exlb<\/title>.*<script type="module" src="\/assets\/main-[A-Z0-9]+\.js"><\/script>/s;

export interface HttpAnswer {
	readonly status: string;
	readonly location: string;
	readonly body: string;
}

/** Where curl's `-w '\n%{http_code} %{redirect_url}'` puts the status and the redirect: after the body's last newline. */
export function parseCurlWriteOut(stdout: string): HttpAnswer {
	const lines = stdout.split('\n');
	const [status = '000', location = ''] = (lines.pop() ?? '').split(' ');
	return { status, location, body: lines.join('\n') };
}

/**
 * Runs real curl on `url` every 2 s until it gets an HTTP answer or `deadlineMs` passes (the appliance starts
 * haproxy after the network is online and generates its certificate in the background, and TCG is slow; curl
 * itself waits up to 10 s per attempt). `prefix` runs curl elsewhere (e.g. `ip netns exec <ns>`).
 */
export async function curlUntilAnswered(url: string, deadlineMs: number, options: { prefix?: string[] } = {}): Promise<HttpAnswer> {
	const curl = ['curl', '-sS', '-k', '--max-time', '10', '-w', '\n%{http_code} %{redirect_url}', url];
	const [command, ...args] = [...(options.prefix ?? []), ...curl] as [string, ...string[]];
	return waitFor(`an HTTP answer from ${url}`, deadlineMs, async () => {
		const result = await execa(command, args, { reject: false });
		const answer = parseCurlWriteOut(result.stdout);
		if (result.exitCode !== 0 || answer.status === '000') throw new Error(`curl exit ${result.exitCode}: ${result.stderr.trim()}`);
		return answer;
	}, 2000);
}
