// Clients that keep connecting to a TCP service and read its greeting ("* OK ... cas1 ready"), retrying at once while
// nothing listens (a balancer starting up): counts which server greeted, the refused attempts, and the connections
// accepted but closed without a greeting (a balancer with no server to give them). Prints JSON on SIGTERM.
// Each client pauses `pauseMs` between connections: enough to meet a starting balancer within milliseconds, without
// flooding the fake servers (dovecot starts a login process per connection).
// Plain JavaScript, run inside a namespace with `ip netns exec <ns> node connect-loop.mjs <address> <port> <clients> <pauseMs>`.
import net from 'node:net';

const [address, port, clients, pauseMs] = process.argv.slice(2);
const greetings = {};
let refused = 0;
let dropped = 0;

function connectOnce() {
	const socket = net.connect(Number(port), address);
	let seen = '';
	let connected = false;
	socket.on('connect', () => { connected = true; });
	socket.setTimeout(5000, () => socket.destroy());
	socket.on('data', (chunk) => {
		seen += chunk.toString();
		const line = seen.split('\n')[0];
		if (seen.includes('\n')) {
			const server = /\b((?:cas|hub)\d)\b/.exec(line)?.[1] ?? 'unknown';
			greetings[server] = (greetings[server] ?? 0) + 1;
			socket.destroy();
		}
	});
	socket.on('error', () => { if (!connected) refused++; });
	socket.on('close', () => {
		if (connected && !seen.includes('\n')) dropped++;
		setTimeout(connectOnce, Number(pauseMs));
	});
}

for (let i = 0; i < Number(clients); i++) connectOnce();
process.on('SIGTERM', () => {
	process.stdout.write(`${JSON.stringify({ greetings, refused, dropped })}\n`);
	process.exit(0);
});
