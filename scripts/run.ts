// make run: boots out/exlb-<version>.qcow2 in QEMU on this terminal. The serial console is stdin/stdout
// (-nographic; Ctrl-a x quits), the web port is forwarded to https://127.0.0.1:4444/.
// The image itself is never written: the guest writes to out/exlb-<version>.run.qcow2, an overlay kept
// between runs (so a configured appliance stays configured) and recreated when the image is newer.
// EXLB_RUN_FIRMWARE=uefi boots through OVMF instead of SeaBIOS.
import { copyFile, stat } from 'node:fs/promises';
import { execa } from 'execa';
import { artifacts, requireArtifact } from '../test/helpers/image-artifacts.js';

const image = requireArtifact(artifacts.qcow2);
const overlay = image.replace(/\.qcow2$/, '.run.qcow2');
const mtime = (file: string) => stat(file).then((info) => info.mtimeMs, () => 0);

if ((await mtime(overlay)) < (await mtime(image))) {
	await execa('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', image, '-F', 'qcow2', overlay], { stdio: 'inherit' });
}
const firmware: string[] = [];
if (process.env.EXLB_RUN_FIRMWARE === 'uefi') {
	const vars = overlay.replace(/\.qcow2$/, '.OVMF_VARS.fd');
	if ((await mtime(vars)) === 0) await copyFile('/usr/share/OVMF/OVMF_VARS_4M.fd', vars);
	firmware.push('-drive', 'if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd', '-drive', `if=pflash,format=raw,unit=1,file=${vars}`);
}
console.log(`Booting ${image} (overlay ${overlay}). Web UI: https://127.0.0.1:4444/  Quit: Ctrl-a x`);
const result = await execa(
	'qemu-system-x86_64',
	[
		'-accel', 'tcg', '-machine', 'pc', '-m', '1024', '-smp', '2', '-nographic',
		...firmware,
		'-drive', `if=virtio,format=qcow2,file=${overlay}`,
		'-nic', 'user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:4444-:4444',
	],
	{ stdio: 'inherit', reject: false },
);
process.exitCode = result.exitCode ?? 1;
