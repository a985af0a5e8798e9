// make bench: the benchmarks, one after the other (never in parallel: the QEMU boots and the load tests are CPU-bound):
//   build       image build and boot figures → out/bench.json (scripts/bench-build.ts)
//   firstboot   first-boot console timings under QEMU → out/bench-firstboot.json (scripts/bench-firstboot.ts)
//   engine      engine throughput and TLS handshakes in network namespaces → out/bench-engine.json (scripts/bench-engine.ts)
//   logging     offload requests/s with haproxy's traffic logs off and on → out/bench-logging.json (scripts/bench-logging.ts)
//   api         PATCH → applied on the host and under QEMU TCG, the appliance's memory → out/bench-api.json (scripts/bench-api.ts)
//   web         the web server's and the engine's memory under API requests, login time → out/bench-web.json (scripts/bench-web.ts)
//   ha          VIP failover time with two balancers in network namespaces and two paired appliances under QEMU (sync, failover, split brain) → out/bench-ha.json (scripts/bench-ha.ts)
//   webui       the interface's first-page weight, navigation → usable dashboard, RSS with a live dashboard → out/bench-web-ui.json (scripts/bench-web-ui.ts)
//   firmware    update bundle size, install, reboot → served on the new slot, rollback time under QEMU → out/bench-firmware.json (scripts/bench-firmware.ts)
// node --import=tsx scripts/bench.ts [--only build,firstboot,engine,logging,api,web,webui,ha,firmware] [--quick] [--boots N] [--runs N] [--rounds N] [--seconds S] [--places host,tcg] [--patches N] [--memory MiB] [--requests N] [--concurrency N] [--navigations N] [--minutes N] [--ha-places netns,tcg] [--failovers N] [--intervals MS,...]
// From make: make bench BENCH_ARGS='--only engine --rounds 1'. Figures are reported, never asserted.
import { benchApi } from './bench-api.js';
import { benchBuild } from './bench-build.js';
import { benchEngine } from './bench-engine.js';
import { benchFirmware } from './bench-firmware.js';
import { benchFirstboot } from './bench-firstboot.js';
import { benchLogging } from './bench-logging.js';
import { benchWeb } from './bench-web.js';
import { benchWebUi } from './bench-web-ui.js';
import { benchHa } from './bench-ha.js';
import { cli } from './lib/args.js';
import { benchOptions, type benchNames } from './lib/bench-options.js';

const benches: Record<(typeof benchNames)[number], (options: typeof values) => Promise<void>> = { build: benchBuild, firstboot: benchFirstboot, engine: benchEngine, logging: benchLogging, api: benchApi, web: benchWeb, webui: benchWebUi, ha: benchHa, firmware: benchFirmware };

const values = cli(
	`usage: node --import=tsx scripts/bench.ts [options]    (make bench BENCH_ARGS='...')
Runs the benchmarks one after the other: build (→ out/bench.json), firstboot (→ out/bench-firstboot.json),
engine (→ out/bench-engine.json), logging (→ out/bench-logging.json), api (→ out/bench-api.json), web
(→ out/bench-web.json), webui (→ out/bench-web-ui.json), ha (→ out/bench-ha.json), firmware
(→ out/bench-firmware.json). Each also runs alone: scripts/bench-{build,firstboot,engine,logging,api,web,web-ui,ha,firmware}.ts --help.`,
	benchOptions,
);
for (const name of values.only as (typeof benchNames)[number][]) await benches[name](values);
