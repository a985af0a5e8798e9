// The scripted fake CAS (scripted-cas.mjs) in a CAS namespace, beside its nginx, and the events it logged.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import type { Lan } from './netns.js';
import { startDaemon, type Daemon } from './daemon.js';

const SCRIPT = fileURLToPath(new URL('./scripted-cas.mjs', import.meta.url));

export interface CasEvent {
	readonly event: string;
	readonly host: string;
	readonly ms: number;
	readonly socket?: number;
	readonly sameConnection?: boolean;
	readonly method?: string;
	readonly path?: string;
	readonly received?: number;
}

export interface ScriptedCas {
	readonly daemon: Daemon;
	/** Everything it logged so far, oldest first. */
	events(): CasEvent[];
}

export async function startScriptedCas(lan: Lan, host: string, dir: string, port: number): Promise<ScriptedCas> {
	const log = path.join(dir, `scripted-cas-${host}.out`);
	const daemon = await startDaemon(lan, host, `scripted-cas@${host}`, log, process.execPath, [SCRIPT, host, String(port)], { ports: [port] });
	const events = () => readFileSync(log, 'utf8').split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as CasEvent);
	return { daemon, events };
}
