// IPv4 grammar and subnet rules shared by the config schema and the console prompt.
// Every function returns a one-line reason (or null) so each caller can show it next to its own field name.

const dottedQuad = /^(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$/;

/** Parses a dotted-quad address into a 32-bit unsigned number, or null when it is not one. */
export function parseIpv4(text: string): number | null {
	const match = dottedQuad.exec(text);
	if (match === null) return null;
	const octets = match.slice(1, 5).map(Number);
	if (octets.some((octet) => octet > 255)) return null;
	return octets.reduce((sum, octet) => sum * 256 + octet, 0);
}

export function formatIpv4(value: number): string {
	return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}

/** Prefix length of a contiguous netmask (255.255.255.0 → 24), or null when the mask is not contiguous. */
export function netmaskToPrefix(mask: number): number | null {
	const inverted = ~mask >>> 0;
	// A contiguous mask inverted is 2^k - 1: adding one leaves a single bit.
	if ((inverted & (inverted + 1)) !== 0) return null;
	return 32 - Math.log2(inverted + 1);
}

export function ipv4Problem(text: string): string | null {
	if (text.trim() === '') return 'an address is required';
	return parseIpv4(text) === null ? `${JSON.stringify(text)} is not an IPv4 address` : null;
}

export function netmaskProblem(text: string): string | null {
	if (text.trim() === '') return 'a netmask is required';
	const mask = parseIpv4(text);
	if (mask === null) return `${JSON.stringify(text)} is not an IPv4 netmask`;
	const prefix = netmaskToPrefix(mask);
	if (prefix === null) return `${text} is not a contiguous netmask`;
	if (prefix === 0 || prefix > 30) return `${text} leaves no room for hosts (use /1 to /30)`;
	return null;
}

/** Checks a host address against its netmask: not the network or broadcast address. Assumes both parse. */
export function hostAddressProblem(address: string, netmask: string): string | null {
	const host = parseIpv4(address);
	const mask = parseIpv4(netmask);
	if (host === null || mask === null) return ipv4Problem(address) ?? netmaskProblem(netmask);
	const first = host >>> 24;
	if (first === 0 || first === 127 || first >= 224) return `${address} is not a usable host address`;
	if (((host & ~mask) >>> 0) === 0) return `${address} is the network address of ${formatIpv4((host & mask) >>> 0)}/${netmaskToPrefix(mask)}`;
	if (((host | mask) >>> 0) === 0xffffffff) return `${address} is the broadcast address of its subnet`;
	return null;
}

export function sameSubnet(a: string, b: string, netmask: string): boolean {
	const x = parseIpv4(a);
	const y = parseIpv4(b);
	const mask = parseIpv4(netmask);
	if (x === null || y === null || mask === null) return false;
	return ((x & mask) >>> 0) === ((y & mask) >>> 0);
}

/** The gateway must be a valid host of the same subnet and not the appliance's own address. */
export function gatewayProblem(gateway: string, address: string, netmask: string): string | null {
	const own = ipv4Problem(gateway) ?? hostAddressProblem(gateway, netmask);
	if (own !== null) return own;
	if (!sameSubnet(gateway, address, netmask)) return `${gateway} is outside the subnet of ${address}/${netmaskToPrefix(parseIpv4(netmask) ?? 0)}`;
	if (gateway === address) return `${gateway} is the appliance's own address`;
	return null;
}
