// make bench (first boot): boots the image 3 times under QEMU TCG and measures, on the serial console,
// the time from QEMU start to the DHCP/static prompt, and from an answer to the web banner (DHCP "d" on QEMU's
// user network, then a static configuration committed with "y" from the console menu). Medians to
// out/bench-firstboot.json. Figures are reported, never asserted.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bootGuest } from '../test/helpers/qemu.js';
import { bootDeadlineMs, countdownStart, imageFile, menuPrompt, stepDeadlineMs, webBanner } from '../test/boot/firstboot-support.js';

const runs = Number(process.env.EXLB_BENCH_RUNS ?? 3);

interface Run {
	readonly qemuStartToPromptSeconds: number;
	readonly dhcpAnswerToBannerSeconds: number;
	readonly staticAnswerToBannerSeconds: number;
}

const seconds = (from: number) => Number(((performance.now() - from) / 1000).toFixed(2));

function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

async function measure(index: number): Promise<Run> {
	const started = performance.now();
	const guest = await bootGuest({ disk: imageFile(), name: `bench-firstboot-${index}`, nics: [{ model: 'virtio-net-pci', netdev: { type: 'user' } }] });
	try {
		await guest.waitFor(countdownStart, { timeoutMs: bootDeadlineMs });
		const qemuStartToPromptSeconds = seconds(started);
		let answered = performance.now();
		guest.send('d');
		await guest.waitFor(webBanner('10.0.2.15'), { timeoutMs: stepDeadlineMs });
		const dhcpAnswerToBannerSeconds = seconds(answered);
		await guest.waitFor(menuPrompt, { timeoutMs: stepDeadlineMs });
		guest.send('2\r');
		const questions: [RegExp, string][] = [
			[/configure static \(D\/s\)\? $/, 's'],
			[/Use IP address \([0-9.]+\)\? $/, '10.0.2.60\r'],
			[/Use netmask \([0-9.]+\)\? $/, '\r'],
			[/Use default gateway \([0-9a-z.]+\)\? $/, '10.0.2.2\r'],
		];
		for (const [question, answer] of questions) {
			await guest.waitFor(question, { timeoutMs: stepDeadlineMs });
			guest.send(answer);
		}
		await guest.waitFor(/Commit and save this configuration \(N\/y\)\? $/, { timeoutMs: stepDeadlineMs });
		answered = performance.now();
		guest.send('y\r');
		await guest.waitFor(webBanner('10.0.2.60'), { timeoutMs: stepDeadlineMs });
		const staticAnswerToBannerSeconds = seconds(answered);
		return { qemuStartToPromptSeconds, dhcpAnswerToBannerSeconds, staticAnswerToBannerSeconds };
	} finally {
		await guest.stop();
	}
}

const results: Run[] = [];
for (let index = 1; index <= runs; index++) {
	const run = await measure(index);
	console.log(`bench-firstboot run ${index}/${runs}: prompt ${run.qemuStartToPromptSeconds} s after QEMU start; banner ${run.dhcpAnswerToBannerSeconds} s after "d" (DHCP), ${run.staticAnswerToBannerSeconds} s after "y" (static)`);
	results.push(run);
}
const report = {
	image: path.relative(process.cwd(), imageFile()),
	accel: 'tcg',
	runs: results,
	median: {
		qemuStartToPromptSeconds: median(results.map((run) => run.qemuStartToPromptSeconds)),
		dhcpAnswerToBannerSeconds: median(results.map((run) => run.dhcpAnswerToBannerSeconds)),
		staticAnswerToBannerSeconds: median(results.map((run) => run.staticAnswerToBannerSeconds)),
	},
	measuredAt: new Date().toISOString(),
};
const outFile = path.join(path.dirname(imageFile()), 'bench-firstboot.json');
await mkdir(path.dirname(outFile), { recursive: true });
await writeFile(outFile, `${JSON.stringify(report, null, 2)}\n`);
console.log(`bench-firstboot: medians of ${runs} under TCG: prompt ${report.median.qemuStartToPromptSeconds} s, DHCP answer→banner ${report.median.dhcpAnswerToBannerSeconds} s, static answer→banner ${report.median.staticAnswerToBannerSeconds} s → ${outFile}`);
