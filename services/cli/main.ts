// Entry point of the exlb command (bundled to /usr/lib/exlb/exlb.mjs in the appliance; bin/exlb.js on a host).
import { runCli } from './run.js';

process.exitCode = await runCli(process.argv.slice(2), {
	out: (text) => process.stdout.write(`${text}\n`),
	err: (text) => process.stderr.write(`${text}\n`),
});
