// Entry point of exlb-apply.service (bundled to /usr/lib/exlb/exlb-boot.mjs): the load balancer at boot.
// Exit status 0 when the daemons run on the configuration in force, 1 when it was refused, 3 on any other failure.
import { ConfigValidationError, formatIssue } from '../config/validate.js';
import { RenderCheckError } from '../apply/errors.js';
import { ConfigFileError } from '../config/store.js';
import { causeChain } from '../cause-chain.js';
import { applyAtBoot, describeBootApply } from './apply-at-boot.js';

const io = { out: (text: string) => process.stdout.write(`${text}\n`), err: (text: string) => process.stderr.write(`${text}\n`) };

try {
	const result = await applyAtBoot(process.env);
	for (const warning of result.warnings) io.err(`warning: ${formatIssue(warning)}`);
	io.out(describeBootApply(result));
} catch (error) {
	io.err(`exlb: the load balancer could not be started at boot: ${causeChain(error)}\n(fix it with "exlb set"/"exlb import", then "exlb apply")`);
	process.exitCode = error instanceof ConfigValidationError || error instanceof RenderCheckError || error instanceof ConfigFileError ? 1 : 3;
}
