// A client that asks the VIP for /owa/ over HTTPS again and again, each request on a new connection with a short
// deadline, and prints one JSON line per answer or failure: {"t": ms since the epoch at the start, "ok": bool,
// "by": the balancer the CAS saw (X-Seen-Peer), "cas": the CAS that answered (X-Backend), "ms": how long it took}.
// A failover shows as failures between the last answer of one balancer and the first of the other. Stops on SIGTERM.
// Plain JavaScript, run inside a namespace with `ip netns exec <ns> node vip-probe.mjs <address> <pauseMs> <timeoutMs>`.
import https from 'node:https';

const [address, pauseMs, timeoutMs] = process.argv.slice(2);
let stopping = false;

function once() {
	const start = Date.now();
	let done = false;
	const finish = (ok, by, cas = null) => {
		if (done) return;
		done = true;
		process.stdout.write(`${JSON.stringify({ t: start, ok, by, cas, ms: Date.now() - start })}\n`);
		if (!stopping) setTimeout(once, Number(pauseMs));
	};
	const request = https.get({ host: address, port: 443, path: '/owa/', rejectUnauthorized: false, agent: false, servername: 'mail.exlb.test', timeout: Number(timeoutMs) }, (response) => {
		response.resume();
		response.on('end', () => finish(response.statusCode === 200, response.headers['x-seen-peer'] ?? null, response.headers['x-backend'] ?? null));
		response.on('error', () => finish(false, null));
	});
	request.on('timeout', () => request.destroy(new Error('timeout')));
	request.on('error', () => finish(false, null));
}

once();
process.on('SIGTERM', () => {
	stopping = true;
	setTimeout(() => process.exit(0), 50);
});
