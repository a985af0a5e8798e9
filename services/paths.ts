// Where the appliance keeps things: one table for the console agent, the CLI and the renderers. The image's overlay
// files (image/overlay) spell the same paths out; test/image/engine-wiring.test.ts checks that they agree.
// EXLB_ROOT prefixes every path so tests and host use work in a temp dir.
import path from 'node:path';

export interface AppliancePaths {
	/** Writable data partition (ext4, label EXLB-DATA), mounted here. */
	readonly dataDir: string;
	/** The saved configuration: survives reboots. Absent = factory settings. */
	readonly savedConfig: string;
	/** Revisions of the saved configuration (services/history/store.ts), on the data partition. */
	readonly historyDir: string;
	/** Present: the data partition is re-created at the next boot, before any service starts ("erase everything"). */
	readonly eraseMarker: string;
	/** The running configuration: what is applied now; reset to the saved one at boot (tmpfs). */
	readonly runningConfig: string;
	/** Imported and generated certificates (PEM), on the data partition. */
	readonly certDir: string;
	/** Rendered daemon configs currently in force (haproxy.cfg, stunnel-<service>.conf, keepalived.conf): a symlink swapped by apply(). */
	readonly renderDir: string;
	/** systemd-networkd runtime directory: rendered .network/.netdev files. */
	readonly networkdDir: string;
	/** The engine's unix socket (root and the web server's group only). */
	readonly engineSocket: string;
	/** Held (a pid file) while a firmware install or a change of the boot selection runs (tmpfs). */
	readonly firmwareLock: string;
	/** The web server's TLS key and certificate, copied there by the engine for the unprivileged web user. */
	readonly webTlsFile: string;
	/** Web accounts and API tokens, the audit log: on the data partition, root only. */
	readonly adminPasswordFile: string;
	readonly apiTokensFile: string;
	readonly auditLog: string;
	/** This node's HA identity (Ed25519 key and self-signed certificate, made on first use) and its pairing, root only. */
	readonly haIdentityFile: string;
	readonly haPairingFile: string;
}

export function appliancePaths(root: string = process.env.EXLB_ROOT ?? '/'): AppliancePaths {
	const at = (...parts: string[]) => path.join(root, ...parts);
	return {
		dataDir: at('data'),
		savedConfig: at('data/config/exlb.json'),
		historyDir: at('data/config/history'),
		eraseMarker: at('data/.exlb-erase'),
		runningConfig: at('run/exlb/config.json'),
		certDir: at('data/certs'),
		renderDir: at('run/exlb/rendered'),
		networkdDir: at('run/systemd/network'),
		engineSocket: at('run/exlb-engine/engine.sock'),
		webTlsFile: at('run/exlb-web/tls.pem'),
		firmwareLock: at('run/exlb/firmware.lock'),
		adminPasswordFile: at('data/config/web-admin-password'),
		apiTokensFile: at('data/config/api-tokens.json'),
		auditLog: at('data/log/audit.jsonl'),
		haIdentityFile: at('data/ha/identity.pem'),
		haPairingFile: at('data/ha/pairing.json'),
	};
}
