// The read-only commands the appliance sends (status polling, drain progress, the state-file dump), each with its
// parser: on a worker's socket directly, or through the master CLI to one worker (the current one, or an old one
// still finishing its sessions after a reload).
import { parseShowProc, type MasterState } from '../apply/haproxy-master.js';
import { UnexpectedAnswerError } from './answer-error.js';
import { parseInfo } from './info.js';
import { HaproxyCommandError, runtimeCommand, toWorker, type RuntimeCommand, type RuntimeSocket, type WorkerTarget } from './runtime-socket.js';
import { parseServersState, type ServersStateDump } from './servers-state.js';
import { parseStatTyped, type StatObject } from './stat-typed.js';

/** Every object, or only servers (`show stat <any proxy> <type mask 4: servers> <any server>`). */
const statEverything = runtimeCommand('show', 'stat', 'typed');
const statServers = runtimeCommand('show', 'stat', '-1', '4', '-1', 'typed');
const serversState = runtimeCommand('show', 'servers', 'state');
const info = runtimeCommand('show', 'info');
const proc = runtimeCommand('show', 'proc');

/** Through the master CLI when a worker is named, else straight to the socket's own process. */
async function ask<T>(socket: RuntimeSocket, command: RuntimeCommand, worker: WorkerTarget | undefined, parse: (text: string) => T): Promise<T> {
	const sent = worker === undefined ? command : toWorker(worker, command);
	const answer = await socket.run(sent);
	try {
		return parse(answer);
	} catch (error) {
		if (error instanceof UnexpectedAnswerError) throw new HaproxyCommandError(socket.path, sent, answer, { cause: error });
		throw error;
	}
}

export function readStat(socket: RuntimeSocket, options: { worker?: WorkerTarget; serversOnly?: boolean } = {}): Promise<StatObject[]> {
	return ask(socket, options.serversOnly ? statServers : statEverything, options.worker, parseStatTyped);
}

export function readServersState(socket: RuntimeSocket, worker?: WorkerTarget): Promise<ServersStateDump> {
	return ask(socket, serversState, worker, parseServersState);
}

export function readInfo(socket: RuntimeSocket, worker?: WorkerTarget): Promise<ReadonlyMap<string, string>> {
	return ask(socket, info, worker, parseInfo);
}

/** The master's view of its workers (master CLI only). */
export async function readProcesses(master: RuntimeSocket): Promise<MasterState> {
	return parseShowProc(await master.run(proc));
}
