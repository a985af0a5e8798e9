// The image's software bill of materials (CycloneDX 1.6 JSON): every Debian package in the root file system and every
// npm package bundled into our agents, with our own code as the root component. Pure: inputs in, JSON text out.
import { Enums, Models, Serialize, Spec, SPDX } from '@cyclonedx/cyclonedx-library';
import { PackageURL } from 'packageurl-js';
import type { InstalledPackage } from './dpkg-status.js';
import { uuidFromSeed } from './ids.js';
import type { NpmPackage } from './npm-packages.js';

const specVersion = Spec.Spec1dot6;

export interface DebianComponent extends InstalledPackage {
	/** License short names from the package's DEP-5 copyright file ([] when it has none). */
	readonly licenses: readonly string[];
}

export interface SbomInput {
	readonly product: { readonly name: string; readonly version: string; readonly vendor: string; readonly license: string | undefined };
	/** os-release ID and VERSION_ID of the root file system ("debian", "13"): the purls' namespace and distro. */
	readonly distro: { readonly id: string; readonly versionId: string };
	/** SOURCE_DATE_EPOCH: the BOM's timestamp, so two builds of one input are byte-identical. */
	readonly epoch: number;
	readonly debian: readonly DebianComponent[];
	readonly npm: readonly NpmPackage[];
	/** The generator, listed under metadata.tools. */
	readonly tool: { readonly name: string; readonly version: string };
}

/** Debian's GNU short names (GPL-2+, LGPL-2.1, GFDL-1.3+...) in SPDX form; Expat is SPDX's MIT. */
function debianToSpdx(shortName: string): string | undefined {
	if (shortName === 'Expat') return 'MIT';
	const gnu = /^(AGPL|LGPL|GPL|GFDL)-(\d)(?:\.(\d))?(\+)?$/i.exec(shortName);
	if (gnu) {
		const id = `${gnu[1]!.toUpperCase()}-${gnu[2]}.${gnu[3] ?? '0'}-${gnu[4] ? 'or-later' : 'only'}`;
		if (SPDX.isSupportedSpdxId(id)) return id;
	}
	return SPDX.fixupSpdxId(shortName);
}

/** A Debian short name as an SPDX license where it is (or translates to) a valid SPDX id, else as a named license. */
function debianLicense(shortName: string): Models.DisjunctiveLicense {
	const id = debianToSpdx(shortName);
	return id === undefined ? new Models.NamedLicense(shortName) : new Models.SpdxLicense(id);
}

const spdxExpression = /^\(?[A-Za-z0-9.+-]+(\s+(OR|AND|WITH)\s+[A-Za-z0-9.+-]+)+\)?$/;

/** package.json's license: an SPDX id, an SPDX expression, else free text as a named license. */
function npmLicense(license: string): Models.License {
	const id = SPDX.fixupSpdxId(license);
	if (id !== undefined) return new Models.SpdxLicense(id);
	return spdxExpression.test(license) ? new Models.LicenseExpression(license) : new Models.NamedLicense(license);
}

/** pkg:deb/debian/NAME@VERSION?arch=…&distro=debian-13, with syft's "upstream" qualifier naming a different source package. */
function debianPurl(pkg: InstalledPackage, distro: SbomInput['distro']): string {
	const upstream = pkg.sourceVersion !== pkg.version ? `${pkg.source}@${pkg.sourceVersion}` : pkg.source !== pkg.name ? pkg.source : undefined;
	const qualifiers: Record<string, string> = { arch: pkg.architecture, distro: `${distro.id}-${distro.versionId}` };
	if (upstream !== undefined) qualifiers.upstream = upstream;
	return new PackageURL('deb', distro.id, pkg.name, pkg.version, qualifiers, undefined).toString();
}

function debianComponent(pkg: DebianComponent, distro: SbomInput['distro']): Models.Component {
	const purl = debianPurl(pkg, distro);
	return new Models.Component(Enums.ComponentType.Library, pkg.name, {
		version: pkg.version,
		bomRef: purl,
		purl,
		licenses: new Models.LicenseRepository(pkg.licenses.map(debianLicense)),
		properties: new Models.PropertyRepository([new Models.Property('exlb:debian:source', pkg.source), new Models.Property('exlb:debian:source-version', pkg.sourceVersion)]),
	});
}

/** npm scopes are CycloneDX groups: "@sinclair/typebox" is group "@sinclair", name "typebox". */
function scopeAndName(npmName: string): [string | undefined, string] {
	const slash = npmName.indexOf('/');
	return npmName.startsWith('@') && slash > 0 ? [npmName.slice(0, slash), npmName.slice(slash + 1)] : [undefined, npmName];
}

function npmComponent(pkg: NpmPackage): Models.Component {
	const [group, name] = scopeAndName(pkg.name);
	const purl = new PackageURL('npm', group, name, pkg.version, undefined, undefined).toString();
	return new Models.Component(Enums.ComponentType.Library, name, {
		group,
		version: pkg.version,
		bomRef: purl,
		purl,
		licenses: new Models.LicenseRepository(pkg.license === undefined ? [] : [npmLicense(pkg.license)]),
	});
}

function serialize(bom: Models.Bom): string {
	const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(specVersion));
	return `${serializer.serialize(bom, { sortLists: true, space: 2 })}\n`;
}

/** The SBOM as JSON text; its serial number is a UUID derived from the rest of the document. */
export function sbomJson(input: SbomInput): string {
	const { product } = input;
	const root = new Models.Component(Enums.ComponentType.Application, product.name, {
		version: product.version,
		bomRef: `${product.name}@${product.version}`,
		supplier: new Models.OrganizationalEntity({ name: product.vendor }),
		licenses: new Models.LicenseRepository(product.license === undefined ? [] : [npmLicense(product.license)]),
	});
	const [toolGroup, toolName] = scopeAndName(input.tool.name);
	const tool = new Models.Component(Enums.ComponentType.Library, toolName, { group: toolGroup, version: input.tool.version });
	const bom = new Models.Bom({
		metadata: new Models.Metadata({
			timestamp: new Date(input.epoch * 1000),
			component: root,
			tools: new Models.Tools({ components: new Models.ComponentRepository([tool]) }),
		}),
		components: new Models.ComponentRepository([...input.debian.map((pkg) => debianComponent(pkg, input.distro)), ...input.npm.map(npmComponent)]),
	});
	bom.serialNumber = `urn:uuid:${uuidFromSeed(serialize(bom))}`;
	return serialize(bom);
}
