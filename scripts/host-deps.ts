#!/usr/bin/env -S npx tsx
// Installs the Debian packages listed in scripts/host-packages/*.txt that are not installed yet.
// Runs before every build/test target; costs one dpkg-query when nothing is missing.
import { readdir, readFile, writeFile, rm, chmod } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

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
	const result = await execa('dpkg-query', ['-W', '-f=${Package} ${db:Status-Status}\n', ...names], { reject: false });
	const installed = new Set(
		result.stdout.split('\n').filter((line) => line.endsWith(' installed')).map((line) => line.split(' ')[0]),
	);
	return names.filter((name) => !installed.has(name));
}

// Package scripts must not start daemons on the build host (nginx, postfix, dovecot...): tests start their own.
const policyRcD = '/usr/sbin/policy-rc.d';

async function main(): Promise<void> {
	const missing = await missingPackages(await wantedPackages());
	if (missing.length === 0) return;
	console.log(`host-deps: installing ${missing.join(' ')}`);
	const env = { DEBIAN_FRONTEND: 'noninteractive' };
	await writeFile(policyRcD, '#!/bin/sh\nexit 101\n');
	await chmod(policyRcD, 0o755);
	try {
		await execa('apt-get', ['update'], { stdio: 'inherit', env });
		await execa('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
	} finally {
		await rm(policyRcD, { force: true });
	}
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	main().catch((error: unknown) => {
		console.error(`host-deps: ${error instanceof Error ? error.message : String(error)}`);
		process.exit(1);
	});
}
