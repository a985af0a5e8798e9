// make bench (first boot): boots the image --runs times (default 3) under QEMU TCG and measures, on the serial console,
// the time from QEMU start to the DHCP/static prompt, and from an answer to the web banner (DHCP "d" on QEMU's
// user network, then a static configuration committed with "y" from the console menu). Medians to
// out/bench-firstboot.json. Figures are reported, never asserted. Part of `make bench` (scripts/bench.ts), or alone:
//   node --import=tsx scripts/bench-firstboot.ts [--runs N]
import { echo, fs, path } from 'zx';
import { bootGuest } from '../test/helpers/qemu.js';
import { bootDeadlineMs, countdownStart, imageFile, menuPrompt, stepDeadlineMs, webBanner } from '../test/boot/firstboot-support.js';
import { cli, isMain, type Values } from './lib/args.js';
import { firstbootOptions } from './lib/bench-options.js';
import { task } from './lib/progress.js';
import { median, round } from './lib/stats.js';

interface Run {
	readonly qemuStartToPromptSeconds: number;
	readonly dhcpAnswerToBannerSeconds: number;
	readonly staticAnswerToBannerSeconds: number;
}

const seconds = (from: number) => Number(((performance.now() - from) / 1000).toFixed(2));

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

export async function benchFirstboot({ runs }: Values<typeof firstbootOptions>): Promise<void> {
	const results: Run[] = [];
	for (let index = 1; index <= runs; index++) {
		const run = await task(`bench-firstboot: boot ${index}/${runs}`, () => measure(index));
		echo(`bench-firstboot run ${index}/${runs}: prompt ${run.qemuStartToPromptSeconds} s after QEMU start; banner ${run.dhcpAnswerToBannerSeconds} s after "d" (DHCP), ${run.staticAnswerToBannerSeconds} s after "y" (static)`);
		results.push(run);
	}
	const middle = (field: keyof Run) => round(median(results.map((run) => run[field])), 2);
	const report = {
		image: path.relative(process.cwd(), imageFile()),
		accel: 'tcg',
		runs: results,
		median: {
			qemuStartToPromptSeconds: middle('qemuStartToPromptSeconds'),
			dhcpAnswerToBannerSeconds: middle('dhcpAnswerToBannerSeconds'),
			staticAnswerToBannerSeconds: middle('staticAnswerToBannerSeconds'),
		},
		measuredAt: new Date().toISOString(),
	};
	const outFile = path.join(path.dirname(imageFile()), 'bench-firstboot.json');
	await fs.outputFile(outFile, `${JSON.stringify(report, null, 2)}\n`);
	echo(`bench-firstboot: medians of ${runs} under TCG: prompt ${report.median.qemuStartToPromptSeconds} s, DHCP answer→banner ${report.median.dhcpAnswerToBannerSeconds} s, static answer→banner ${report.median.staticAnswerToBannerSeconds} s → ${outFile}`);
}

if (isMain(import.meta.url)) {
	await benchFirstboot(cli('usage: node --import=tsx scripts/bench-firstboot.ts [--runs N]\nThe first-boot benchmark of `make bench` → out/bench-firstboot.json.', firstbootOptions));
}
