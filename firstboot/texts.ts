// Every text the console agent shows that users (and the boot tests) rely on, word for word as the original appliance.
import { netmaskToPrefix, parseIpv4 } from '../services/config/ipv4.js';

export const defaultCountdownSeconds = 10;
export const dhcpWaitSeconds = 20;
export const fallbackAddress = '192.168.0.200';
export const fallbackNetmask = '255.255.255.0';
/** 192.168.0.200/24: the fallback address with its prefix length. */
export const fallbackCidr = `${fallbackAddress}/${netmaskToPrefix(parseIpv4(fallbackNetmask)!)}`;
export const webPort = 4444;

export const warnings = [
	'Warning: No IP configuration found !',
	'Warning: DHCP configuration is available for test purpose only.',
	'Warning: A static IP configuration is recommended.',
];

/** The countdown question; redrawn in place (`\r`, clear to end of line) every second. */
export const countdownQuestion = (seconds: number): string => `Retrieve IP using DHCP or configure static ... ${seconds}sec (D/s)? `;
/** The same question without a countdown, from the console menu. */
export const choiceQuestion = 'Retrieve IP using DHCP or configure static (D/s)? ';
export const configureManually = 'Configure IP manually';
export const addressQuestion = (fallback: string): string => `Use IP address (${fallback})? `;
export const netmaskQuestion = (fallback: string): string => `Use netmask (${fallback})? `;
export const gatewayQuestion = (fallback: string): string => `Use default gateway (${fallback === '' ? 'none' : fallback})? `;
export const commitQuestion = 'Commit and save this configuration (N/y)? ';
export const webInterfaceTitle = 'Access WEB User Interface :';
export const webUrl = (address: string): string => `https://${address}:${webPort}/`;
export const waitingForDhcp = `Waiting for DHCP (up to ${dhcpWaitSeconds} s)...`;
export const noDhcpAnswer = `No DHCP server answered within ${dhcpWaitSeconds} s: configured ${fallbackCidr} instead.`;
