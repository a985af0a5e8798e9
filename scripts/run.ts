// make run: boots out/exlb-<version>.qcow2 in QEMU on this terminal. The serial console is stdin/stdout
// (-nographic; Ctrl-a x quits), the web port is forwarded to https://127.0.0.1:4444/.
// The image itself is never written: the guest writes to out/exlb-<version>.run.qcow2, an overlay kept
// between runs (so a configured appliance stays configured) and recreated when the image is newer.
//   --firmware bios|uefi   SeaBIOS (default) or OVMF; EXLB_RUN_FIRMWARE=uefi still works
//   --fresh                start from the image again: recreate the overlay (and the UEFI variables)
//   --port N               host port forwarded to the web UI (default 4444)
import { copyFile, rm, stat } from 'node:fs/promises';
import { $ } from 'zx';
import { artifacts, requireArtifact } from '../test/helpers/image-artifacts.js';
import { cli } from './lib/args.js';

const options = cli('usage: node --import=tsx scripts/run.ts [--firmware bios|uefi] [--fresh] [--port N]\nBoots the image in QEMU on this terminal (the `make run` target).', {
	firmware: { type: 'string', choices: ['bios', 'uefi'], env: 'EXLB_RUN_FIRMWARE', default: 'bios', help: 'SeaBIOS or OVMF' },
	fresh: { type: 'boolean', help: 'recreate the overlay: boot the unconfigured image' },
	port: { type: 'number', integer: true, default: 4444, help: 'host port forwarded to the web UI (guest 4444)' },
});

const image = requireArtifact(artifacts.qcow2);
const overlay = image.replace(/\.qcow2$/, '.run.qcow2');
const vars = overlay.replace(/\.qcow2$/, '.OVMF_VARS.fd');
const mtime = (file: string) => stat(file).then((info) => info.mtimeMs, () => 0);

if (options.fresh) await rm(overlay, { force: true }).then(() => rm(vars, { force: true }));
if ((await mtime(overlay)) < (await mtime(image))) await $({ stdio: 'inherit' })`qemu-img create -q -f qcow2 -b ${image} -F qcow2 ${overlay}`;
const firmware: string[] = [];
if (options.firmware === 'uefi') {
	if ((await mtime(vars)) === 0) await copyFile('/usr/share/OVMF/OVMF_VARS_4M.fd', vars);
	firmware.push('-drive', 'if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd', '-drive', `if=pflash,format=raw,unit=1,file=${vars}`);
}
console.log(`Booting ${image} (overlay ${overlay}). Web UI: https://127.0.0.1:${options.port}/  Quit: Ctrl-a x`);
const qemu = await $({ stdio: 'inherit', nothrow: true })`qemu-system-x86_64 -accel tcg -machine pc -m 1024 -smp 2 -nographic ${firmware} -drive ${`if=virtio,format=qcow2,file=${overlay}`} -nic ${`user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:${options.port}-:4444`}`;
process.exitCode = qemu.exitCode ?? 1;
