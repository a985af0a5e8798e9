// The version policy of an update: semantic versions compared by precedence (semver.org §11);
// installing an older version than the running one is refused unless forced. The same version may be re-installed.
import { VersionPolicyError } from './bundle-errors.js';

interface ParsedVersion {
	readonly core: readonly [number, number, number];
	readonly prerelease: readonly string[];
}

const versionPattern = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

export function isSemanticVersion(text: string): boolean {
	return versionPattern.test(text);
}

function parse(field: string, text: string): ParsedVersion {
	const match = versionPattern.exec(text);
	if (match === null) throw new VersionPolicyError(field, text, 'is not a semantic version (X.Y.Z)');
	return { core: [Number(match[1]), Number(match[2]), Number(match[3])], prerelease: match[4] === undefined ? [] : match[4].split('.') };
}

function compareIdentifiers(a: string, b: string): number {
	const aNumeric = /^\d+$/.test(a);
	const bNumeric = /^\d+$/.test(b);
	if (aNumeric && bNumeric) return Math.sign(Number(a) - Number(b));
	if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
	return a < b ? -1 : a > b ? 1 : 0;
}

/** -1, 0 or 1 as `a` is lower than, equal to or higher than `b` in semver precedence (build metadata ignored). */
export function compareVersions(a: string, b: string): number {
	const left = parse('version', a);
	const right = parse('version', b);
	for (let i = 0; i < 3; i++) {
		const difference = Math.sign(left.core[i]! - right.core[i]!);
		if (difference !== 0) return difference;
	}
	// A release is higher than its pre-releases.
	if (left.prerelease.length === 0 || right.prerelease.length === 0) return Math.sign(right.prerelease.length - left.prerelease.length);
	for (let i = 0; i < Math.min(left.prerelease.length, right.prerelease.length); i++) {
		const difference = compareIdentifiers(left.prerelease[i]!, right.prerelease[i]!);
		if (difference !== 0) return difference;
	}
	return Math.sign(left.prerelease.length - right.prerelease.length);
}

/** Refuses a bundle older than the running firmware unless `force`; throws VersionPolicyError naming both versions. */
export function checkVersionPolicy(running: string, candidate: string, force: boolean): void {
	parse('running version', running);
	parse('manifest version', candidate);
	if (compareVersions(candidate, running) < 0 && !force) {
		throw new VersionPolicyError('manifest version', candidate, `is older than the running ${running}: a downgrade needs force`);
	}
}
