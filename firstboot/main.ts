// Placeholder console agent: prints the version and the addresses. Replaced by the first-boot prompt (issue 3).
import { networkInterfaces } from 'node:os';

const version = process.env.EXLB_VERSION ?? 'dev';
const addresses = Object.entries(networkInterfaces())
	.flatMap(([name, infos]) => (infos ?? []).filter((info) => info.family === 'IPv4' && !info.internal).map((info) => `${name} ${info.address}`));
console.log(`exlb ${version} console`);
console.log(addresses.length > 0 ? addresses.map((line) => `  ${line}`).join('\n') : '  no IPv4 address yet');
console.log('EXLB-CONSOLE-READY');
