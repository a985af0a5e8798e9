// `exlb run` on a host: the real daemons in the foreground, SIGHUP re-applies, SIGTERM stops them.
import test from 'ava';
import http from 'node:http';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { appliancePaths } from '../../../services/paths.js';
import { defaultConfig } from '../../../services/config/schema.js';
import { waitFor } from '../../../services/apply/wait.js';
import { exlb, exlbEntry, makeExlbRoot } from '../../helpers/exlb-cli.js';
import { freePorts } from '../../helpers/free-port.js';

function redirectOf(port: number): Promise<{ status: number }> {
	return new Promise((resolve, reject) => {
		http.get(`http://127.0.0.1:${port}/owa/`, (response) => {
			response.resume();
			resolve({ status: response.statusCode! });
		}).on('error', reject);
	});
}

test('run: the daemons in the foreground on a host; SIGHUP re-applies the running configuration; SIGTERM stops', async (t) => {
	const dir = await makeExlbRoot();
	const [https, redirect, moved] = await freePorts(3);
	const file = path.join(dir, 'c.json');
	const config = defaultConfig();
	config.casServers = ['127.0.0.1'];
	config.rpc.mode = 'disabled';
	config.http.virtualHttpsPort = https!;
	config.http.redirectHttpPort = redirect!;
	await writeFile(file, JSON.stringify(config));
	const child = execa('node', [exlbEntry, 'run', '--config', file], { reject: false, env: { EXLB_ROOT: dir, EXLB_INTERFACE: 'eth0' } });
	let output = '';
	child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
	let errors = '';
	child.stderr!.on('data', (chunk: Buffer) => { errors += chunk.toString(); });
	// Generous deadlines: the host's cores are shared with QEMU boots during `make test`.
	const seen = (pattern: RegExp) => waitFor(`${pattern}`, 120_000, async () => pattern.test(output)).catch((error: unknown) => {
		t.log(`exlb run printed:\n${output}\n${errors}`);
		throw error;
	});
	try {
		await seen(/^running: haproxy/m);
		t.is((await redirectOf(redirect!)).status, 301);
		const running = appliancePaths(dir).runningConfig;
		t.is((await exlb(dir, ['set', '--config', running, 'http.redirectHttpPort', String(moved)])).exitCode, 0);
		process.kill(child.pid!, 'SIGHUP'); // not child.kill(): execa would SIGKILL it 5 s later when it does not exit
		await seen(/^running: haproxy[^\n]*\n(?:.*\n)*running: haproxy/m);
		t.is((await redirectOf(moved!)).status, 301, 're-applied on SIGHUP');
	} finally {
		process.kill(child.pid!, 'SIGTERM'); // not child.kill(): execa would SIGKILL it if stopping took over 5 s
	}
	const result = await child;
	t.is(result.exitCode, 0, errors);
	t.regex(output, /^stopped$/m);
	await t.throwsAsync(redirectOf(moved!), undefined, 'haproxy is gone');
});
