// haproxy sections for the Exchange 2010 RPC services (endpoint mapper, client access, address book).
// The three ports of a CAS form one group: the endpoint-mapper backend checks all three ports of each CAS
// and the two others track it, so a CAS with any of them down is out of all three. One stick table
// (source address) is shared so a client's three connections land on the same CAS.
import type { Config } from '../config/schema.js';
import { rpcActive } from '../config/services-in-use.js';
import { RenderedText } from './lines.js';
import { type RenderEnv, listenAddress } from './env.js';
import { casPool, serverLines, timeoutLine, stickTableLimits, rpcBackends } from './haproxy-parts.js';
import { frontendLogLine } from './haproxy-logs.js';

const groupBackend = rpcBackends.endpointMapper;

export function renderRpcSections(config: Config, env: RenderEnv): RenderedText {
	const out = new RenderedText();
	if (!rpcActive(config)) return out;
	const { rpc } = config;
	const services = [
		{ name: 'rpc_epm', backend: rpcBackends.endpointMapper, port: rpc.endpointMapperPort, field: 'rpc.endpointMapperPort' },
		{ name: 'rpc_ca', backend: rpcBackends.clientAccess, port: rpc.clientAccessPort, field: 'rpc.clientAccessPort' },
		{ name: 'rpc_ab', backend: rpcBackends.addressBook, port: rpc.addressBookPort, field: 'rpc.addressBookPort' },
	];
	for (const service of services) {
		out.line(`frontend fe_${service.name}`).line('    mode tcp');
		frontendLogLine('tcp', out);
		out.line(`    bind ${listenAddress(env, service.port)}`, service.field);
		timeoutLine(out, 'client', rpc.timeout, 'rpc.timeout');
		out.line(`    default_backend ${service.backend}`).blank();
	}
	for (const service of services) {
		const isGroup = service.backend === groupBackend;
		out.line(`backend ${service.backend}`).line('    mode tcp').line('    balance leastconn');
		timeoutLine(out, 'server', rpc.timeout, 'rpc.timeout');
		if (isGroup) {
			out.line(`    stick-table type ip ${stickTableLimits}`);
			out.line('    stick on src');
			out.line('    option tcp-check');
			for (const port of services) out.line(`    tcp-check connect port ${port.port}`, port.field);
		} else {
			out.line(`    stick on src table ${groupBackend}`);
		}
		serverLines(out, casPool(config), { port: service.port, ...(isGroup ? {} : { trackBackend: groupBackend }) });
		out.blank();
	}
	return out;
}
