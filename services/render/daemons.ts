// The daemons the appliance runs and the file each one reads. stunnel runs as one process per offloaded
// service, so switching IMAP offload on or off never touches the HTTPS listener (stunnel re-binds on reload).

export const stunnelServices = ['https', 'imaps', 'pop3s', 'smtps'] as const;
export type StunnelService = (typeof stunnelServices)[number];
export type StunnelDaemon = `stunnel-${StunnelService}`;
export type Daemon = 'haproxy' | StunnelDaemon | 'keepalived';

/** In start order: haproxy first (stunnel hands connections to its sockets, keepalived tracks it). */
export const allDaemons: readonly Daemon[] = ['haproxy', ...stunnelServices.map((service) => `stunnel-${service}` as const), 'keepalived'];

export function isStunnel(daemon: Daemon): daemon is StunnelDaemon {
	return daemon.startsWith('stunnel-');
}

export function configFileName(daemon: Daemon): string {
	if (daemon === 'haproxy') return 'haproxy.cfg';
	return `${daemon}.conf`;
}
