#!/usr/bin/env -S npx tsx
// Builds the browser interface into a directory (default out/web-ui) for a web server started by hand:
//   node --import=tsx scripts/build-web-ui.ts [--out DIR]
//   EXLB_WEB_UI=out/web-ui node --import tsx services/web/main.ts
// (make image builds it into the image by itself, image/pipeline/bundles.ts).
import path from 'node:path';
import { buildWebUi } from '../web-ui/build.js';
import { cli, isMain } from './lib/args.js';

if (isMain(import.meta.url)) {
	const options = cli('usage: node --import=tsx scripts/build-web-ui.ts [--out DIR]\nBuilds the browser interface (web-ui/) for EXLB_WEB_UI.', {
		out: { type: 'string', help: 'output directory (emptied first)', default: 'out/web-ui' },
	});
	const out = path.resolve(String(options.out));
	buildWebUi(out).then((built) => {
		console.log(`${out}: ${built.files.join(', ')}`);
	}, (error: unknown) => {
		console.error(`build-web-ui: ${(error as Error).message}`);
		process.exit(1);
	});
}
