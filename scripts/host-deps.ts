#!/usr/bin/env -S npx tsx
// Installs the Debian packages listed in scripts/host-packages/*.txt that are not installed yet.
// Runs before every build/test target (`make deps`); costs one dpkg-query when nothing is missing.
//   --dry-run   only print what is missing (exit 1 if anything is)
import { chmod, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { $ } from 'zx';
import { cli, isMain } from './lib/args.js';

const listDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'host-packages');

export async function wantedPackages(dir = listDir): Promise<string[]> {
	const files = (await readdir(dir)).filter((name) => name.endsWith('.txt')).sort();
	const names = new Set<string>();
	for (const file of files) {
		for (const line of (await readFile(path.join(dir, file), 'utf8')).split('\n')) {
			const name = line.replace(/#.*/, '').trim();
			if (name === '') continue;
			if (!/^[a-z0-9][a-z0-9+.-]+$/.test(name)) {
				throw new Error(`${file}: "${name}" is not a Debian package name`);
			}
			names.add(name);
		}
	}
	return [...names];
}

async function missingPackages(names: string[]): Promise<string[]> {
	const result = await $({ nothrow: true, quiet: true })`dpkg-query -W ${'-f=${Package} ${db:Status-Status}\n'} ${names}`;
	const installed = new Set(result.stdout.split('\n').filter((line) => line.endsWith(' installed')).map((line) => line.split(' ')[0]));
	return names.filter((name) => !installed.has(name));
}

// Package scripts must not start daemons on the build host (nginx, postfix, dovecot...): tests start their own.
const policyRcD = '/usr/sbin/policy-rc.d';

async function main(dryRun: boolean): Promise<void> {
	const missing = await missingPackages(await wantedPackages());
	if (missing.length === 0) return;
	console.log(`host-deps: ${dryRun ? 'missing' : 'installing'} ${missing.join(' ')}`);
	if (dryRun) {
		process.exitCode = 1;
		return;
	}
	const apt = $({ stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
	await writeFile(policyRcD, '#!/bin/sh\nexit 101\n');
	await chmod(policyRcD, 0o755);
	try {
		await apt`apt-get update`;
		await apt`apt-get install -y --no-install-recommends ${missing}`;
	} finally {
		await rm(policyRcD, { force: true });
	}
}

if (isMain(import.meta.url)) {
	const options = cli('usage: node --import=tsx scripts/host-deps.ts [--dry-run]\nInstalls the missing build and test host packages listed in scripts/host-packages/*.txt.', {
		'dry-run': { type: 'boolean', help: 'print the missing packages instead of installing them' },
	});
	main(options['dry-run']).catch((error: unknown) => {
		console.error(`host-deps: ${error instanceof Error ? error.message : String(error)}`);
		process.exit(1);
	});
}
