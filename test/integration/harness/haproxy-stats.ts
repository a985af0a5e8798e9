// Reads haproxy's per-server state and counters from its stats socket ("show stat" CSV).
import net from 'node:net';

export interface ServerStat {
	readonly proxy: string;
	readonly server: string;
	readonly status: string;
	/** Total sessions (connections) handled. */
	readonly sessions: number;
}

export async function haproxyCommand(socket: string, command: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		const conn = net.connect(socket, () => conn.end(`${command}\n`));
		conn.setTimeout(5000, () => conn.destroy(new Error(`haproxy stats socket ${socket}: no answer to "${command}"`)));
		conn.on('data', (c) => chunks.push(c));
		conn.on('error', reject);
		conn.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
	});
}

export async function showStat(socket: string): Promise<ServerStat[]> {
	const csv = await haproxyCommand(socket, 'show stat');
	const [header, ...rows] = csv.trim().split('\n');
	const cols = (header ?? '').replace(/^# /, '').split(',');
	const at = (name: string) => cols.indexOf(name);
	return rows.filter(Boolean).map((row) => {
		const f = row.split(',');
		return { proxy: f[at('pxname')]!, server: f[at('svname')]!, status: f[at('status')]!, sessions: Number(f[at('stot')]) };
	});
}

/** Status of one server in one backend ("UP", "DOWN", "UP 1/2"…), or undefined if absent. */
export async function serverStatus(socket: string, backend: string, server: string): Promise<string | undefined> {
	return (await showStat(socket)).find((s) => s.proxy === backend && s.server === server)?.status;
}

/** Total sessions per backend (its BACKEND row). */
export async function backendSessions(socket: string): Promise<Map<string, number>> {
	return new Map((await showStat(socket)).filter((s) => s.server === 'BACKEND').map((s) => [s.proxy, s.sessions]));
}
