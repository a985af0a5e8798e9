// The browser interface built once per test process (esbuild, well under a second) into a temp directory, for the web
// servers the tests start (EXLB_WEB_UI), as the image build puts it in /usr/lib/exlb/web-ui.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildWebUi, type WebUiBuild } from '../../web-ui/build.js';

let built: Promise<{ readonly dir: string; readonly build: WebUiBuild }> | null = null;

export function builtWebUi(): Promise<{ readonly dir: string; readonly build: WebUiBuild }> {
	built ??= mkdtemp(path.join(tmpdir(), 'exlb-web-ui-')).then(async (dir) => ({ dir, build: await buildWebUi(dir) }));
	return built;
}
