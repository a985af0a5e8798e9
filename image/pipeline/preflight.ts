// Step "preflight": every host tool present and enough free space in the cache, before minutes are spent.
import { mkdir, statfs } from 'node:fs/promises';
import { tryCommand } from '../../services/os/exec.js';
import { HostToolMissingError, BuildStepError } from './errors.js';

/** Host tool → the Debian package that provides it (all listed in scripts/host-packages/image.txt). */
export const hostTools: Readonly<Record<string, string>> = {
	mmdebstrap: 'mmdebstrap',
	chroot: 'coreutils',
	mksquashfs: 'squashfs-tools',
	'mkfs.ext4': 'e2fsprogs',
	'mkfs.fat': 'dosfstools',
	mmd: 'mtools',
	mcopy: 'mtools',
	sfdisk: 'fdisk',
	'grub-mkimage': 'grub-common',
	'qemu-img': 'qemu-utils',
	tar: 'tar',
	dd: 'coreutils',
};

const neededFreeBytes = 4 * 1024 ** 3;

export async function preflight(cacheDir: string): Promise<void> {
	for (const [tool, debianPackage] of Object.entries(hostTools)) {
		const found = await tryCommand('sh', ['-c', 'command -v "$1"', 'sh', tool]);
		if (found.exitCode !== 0) throw new HostToolMissingError(tool, debianPackage);
	}
	await mkdir(cacheDir, { recursive: true });
	const fs = await statfs(cacheDir);
	const free = fs.bavail * fs.bsize;
	if (free < neededFreeBytes) {
		throw new BuildStepError('preflight', `statfs ${cacheDir}`, `${(free / 1024 ** 3).toFixed(1)} GiB free`, `the build needs about ${neededFreeBytes / 1024 ** 3} GiB free under ${cacheDir} (set EXLB_CACHE_DIR to use another place)`);
	}
}
