// A plain TCP listener standing in for an Exchange RPC port: says who it is ("cas1 135") and closes.
// Plain JavaScript so each instance starts in milliseconds (one process per port, so a test can stop one port).
import net from 'node:net';

const [banner, port] = process.argv.slice(2);
net.createServer((socket) => {
	socket.on('error', () => {});
	socket.end(`${banner}\n`);
}).listen(Number(port), '0.0.0.0');
