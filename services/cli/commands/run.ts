// exlb run [--config FILE]: the load balancer on a host without systemd. Applies the configuration with the
// daemons as child processes, stays in the foreground, re-applies the running configuration on SIGHUP
// (edit it with `exlb set --config <running config file> PATH VALUE`, then `kill -HUP`) and stops everything
// on SIGINT/SIGTERM.
import { once } from 'node:events';
import { apply } from '../../apply/apply.js';
import { ProcessController } from '../../apply/process-controller.js';
import { loadRunningConfig } from '../../config/store.js';
import type { Config } from '../../config/schema.js';
import { type Context, configFrom, printWarnings, renderEnv } from '../context.js';

export async function runCommand(context: Context, options: { config?: string }): Promise<void> {
	const env = renderEnv(context);
	const controller = new ProcessController({ renderDir: context.paths.renderDir, env });
	const applyOnce = async (config: Config) => {
		const result = await apply(config, { paths: context.paths, env, controller });
		printWarnings(context, result.warnings);
		context.io.out(`running: ${[...result.started, ...result.reloaded, ...result.unchanged].join(', ')} (pid ${process.pid}; SIGHUP re-applies, SIGTERM stops)`);
	};
	// Applies run one after the other, and a stop waits for the one in flight (it may be starting daemons).
	let inFlight: Promise<void> = Promise.resolve();
	const onHangup = () => {
		inFlight = inFlight.then(() => loadRunningConfig(context.paths)).then(applyOnce).catch((error: unknown) => {
			context.io.err(`exlb: re-apply failed, still running the previous configuration: ${(error as Error).message}`);
		});
	};
	try {
		await applyOnce(await configFrom(context, options.config));
		process.on('SIGHUP', onHangup);
		await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
		process.off('SIGHUP', onHangup);
		await inFlight;
	} finally {
		await controller.stopAll();
	}
	context.io.out('stopped');
}
