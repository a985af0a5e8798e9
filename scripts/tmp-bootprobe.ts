import { readFile } from 'node:fs/promises';
import { execa } from 'execa';
import { bootGuest } from '../test/helpers/qemu.js';
import { imageFile } from '../test/boot/firstboot-support.js';
const t0 = performance.now();
const guest = await bootGuest({ disk: imageFile(), name: 'probe', nics: [{ model: 'virtio-net-pci', netdev: { type: 'user', hostForwards: [{ guestPort: 4444 }] } }] });
const s = () => ((performance.now() - t0) / 1000).toFixed(1);
let answered = false;
const deadline = Date.now() + 420_000;
const url = `https://127.0.0.1:${guest.hostPort(4444)}`;
while (Date.now() < deadline) {
	if (!answered && /\(D\/s\)\? $/.test(guest.text())) { guest.send('d'); answered = true; console.log(`${s()} >>> sent d`); }
	if (answered) {
		const r = await execa('curl', ['-sk', '--max-time', '10', '-H', 'content-type: application/json', '-d', '{"username":"admin","password":"admin"}', '-w', ' %{http_code}', `${url}/api/v1/session`], { reject: false });
		console.log(`${s()} login: ${r.stdout.slice(-300)}`);
		if (r.stdout.endsWith(' 200')) break;
	}
	await new Promise((r) => setTimeout(r, 5000));
}
const ttyS1 = await readFile((guest as any).statusFile, 'utf8');
console.log(ttyS1.split('\n').filter((l) => /exlb-engine|exlb-web|node\[|engine/.test(l)).join('\n'));
await guest.stop();
