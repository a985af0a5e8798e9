// Where the rendered configs point to (certificates, sockets, pid files) and which identities the daemons use.
// The same renderer output runs in the appliance (applianceRenderEnv) and in a test's temp dir (localRenderEnv).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppliancePaths } from '../paths.js';

export interface RenderEnv {
	/** Directory of `<name>.pem` files (private key + certificate chain). */
	readonly certDir: string;
	/** Directory of the unix sockets stunnel uses to hand connections to haproxy (PROXY protocol). */
	readonly socketDir: string;
	/** haproxy's admin socket (with `expose-fd listeners`, so a reload inherits the listening sockets); root only:
	 * the engine's reloads and its allow-listed server actions (services/haproxy/server-actions.ts). */
	readonly haproxyStatsSocket: string;
	/** haproxy's read-only socket (`level user`: show commands only) the status of the web interface is polled on. */
	readonly haproxyUserSocket: string;
	/** Group given read-write access (mode 660) to haproxyUserSocket, or null for owner only (tests). */
	readonly haproxyUserSocketGroup: string | null;
	/** haproxy's server-state file: server states handed from one haproxy to the next (services/haproxy/state-file.ts). */
	readonly haproxyStateFile: string;
	/** haproxy master CLI socket (`-S`), used by the process controller to reload. */
	readonly haproxyMasterSocket: string;
	readonly haproxyPidFile: string;
	readonly stunnelPidFile: string;
	readonly keepalivedPidFile: string;
	/** keepalived's notify script (image/overlay/usr/lib/exlb/vrrp-notify) and the file it writes the VRRP state to. */
	readonly vrrpNotifyScript: string;
	readonly vrrpStateFile: string;
	/** Physical interface for VRRP (the VLAN interface is derived from network.vlan). */
	readonly interface: string;
	/** Address the virtual services bind to; '' = every address (works on master and backup alike). */
	readonly bindAddress: string;
	/** Unprivileged identities the daemons drop to after binding, or null to stay as started (tests). stunnel null:
	 * it re-reads certificates and re-binds ports < 1024 on reload, which it cannot do once it dropped root. */
	readonly daemonUser: { readonly haproxy: string; readonly stunnel: string | null } | null;
	/** haproxy `log` target (e.g. /dev/log), or null for no logging. */
	readonly logTarget: string | null;
	/** stunnel stays in the foreground (systemd Type=simple, or the process controller). */
	readonly stunnelForeground: boolean;
}

/**
 * The web server's group (its unprivileged user's): it may poll haproxy's status socket, nothing else of haproxy's.
 * null until the image creates it: haproxy refuses a configuration naming an unknown group (so does its check), and
 * the socket stays root only. test/image/engine-wiring.test.ts fails as soon as the image creates the group and this
 * still says null, or the other way round.
 */
export const webServerGroup: string | null = 'exlb-web';

/** Locations inside the appliance (daemons started by systemd units from the image). */
export function applianceRenderEnv(paths: AppliancePaths, networkInterface = 'eth0'): RenderEnv {
	const run = path.dirname(paths.renderDir);
	return {
		certDir: paths.certDir,
		socketDir: path.join(run, 'sockets'),
		haproxyStatsSocket: path.join(run, 'haproxy.sock'),
		haproxyUserSocket: path.join(run, 'haproxy-user.sock'),
		haproxyUserSocketGroup: webServerGroup,
		// On the tmpfs: a reboot starts from the saved configuration's serverStates, never from an older haproxy's file.
		haproxyStateFile: path.join(run, 'haproxy-server-state'),
		haproxyMasterSocket: path.join(run, 'haproxy-master.sock'),
		// Debian's haproxy.service passes -p /run/haproxy.pid (keepalived tracks this file).
		haproxyPidFile: path.join(path.dirname(run), 'haproxy.pid'),
		stunnelPidFile: path.join(run, 'stunnel.pid'),
		keepalivedPidFile: path.join(run, 'keepalived.pid'),
		vrrpNotifyScript: '/usr/lib/exlb/vrrp-notify',
		vrrpStateFile: path.join(run, 'vrrp-state'),
		interface: networkInterface,
		bindAddress: '',
		daemonUser: { haproxy: 'haproxy', stunnel: null },
		logTarget: '/dev/log',
		stunnelForeground: true,
	};
}

const repositoryNotifyScript = fileURLToPath(new URL('../../image/overlay/usr/lib/exlb/vrrp-notify', import.meta.url));

/** Everything under one directory, daemons keep the identity they are started with (tests, host use). */
export function localRenderEnv(dir: string, options: { certDir?: string; interface?: string; bindAddress?: string } = {}): RenderEnv {
	return {
		certDir: options.certDir ?? path.join(dir, 'certs'),
		socketDir: path.join(dir, 'sockets'),
		haproxyStatsSocket: path.join(dir, 'haproxy.sock'),
		haproxyUserSocket: path.join(dir, 'haproxy-user.sock'),
		haproxyUserSocketGroup: null,
		haproxyStateFile: path.join(dir, 'haproxy-server-state'),
		haproxyMasterSocket: path.join(dir, 'haproxy-master.sock'),
		haproxyPidFile: path.join(dir, 'haproxy.pid'),
		stunnelPidFile: path.join(dir, 'stunnel.pid'),
		keepalivedPidFile: path.join(dir, 'keepalived.pid'),
		// The repository's copy of the script the image installs (root-owned, as keepalived's script security wants).
		vrrpNotifyScript: repositoryNotifyScript,
		vrrpStateFile: path.join(dir, 'vrrp-state'),
		interface: options.interface ?? 'lo',
		bindAddress: options.bindAddress ?? '127.0.0.1',
		daemonUser: null,
		logTarget: null,
		stunnelForeground: true,
	};
}

export function certificateFile(where: Pick<RenderEnv, 'certDir'>, name: string): string {
	return path.join(where.certDir, `${name}.pem`);
}

/** Unix socket stunnel connects to for one offloaded service (haproxy binds it with accept-proxy). */
export function offloadSocket(env: RenderEnv, service: string): string {
	return path.join(env.socketDir, `tls-${service}.sock`);
}

export function listenAddress(env: RenderEnv, port: number): string {
	return `${env.bindAddress}:${port}`;
}
