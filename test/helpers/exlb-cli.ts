// The exlb CLI as a real subprocess (node bin/exlb.js), each caller in its own EXLB_ROOT.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

export const exlbEntry = fileURLToPath(new URL('../../bin/exlb.js', import.meta.url));

/** A fresh directory to act as the appliance's root (EXLB_ROOT). */
export function makeExlbRoot(): Promise<string> {
	return mkdtemp(path.join(tmpdir(), 'exlb-cli-'));
}

/** Runs `exlb args...` to completion with no daemon control (EXLB_CONTROLLER=none) unless `extraEnv` says otherwise. */
export function exlb(exlbRoot: string, args: string[], extraEnv: Record<string, string> = {}) {
	return execa('node', [exlbEntry, ...args], { reject: false, env: { EXLB_ROOT: exlbRoot, EXLB_CONTROLLER: 'none', EXLB_INTERFACE: 'eth0', ...extraEnv } });
}
