// The vendored DMTF OVF envelope schema (test/fixtures/ovf-schema), and a check of a descriptor against it.
import path from 'node:path';
import { execa } from 'execa';
import { repoRoot } from './image-artifacts.js';

export const ovfSchema = path.join(repoRoot, 'test/fixtures/ovf-schema/dsp8023_1.1.1.xsd');

/** xmllint's verdict on an OVF file, offline (--nonet): every import resolves inside the fixture folder. */
export async function validateOvf(file: string): Promise<{ valid: boolean; messages: string }> {
	const result = await execa('xmllint', ['--noout', '--nonet', '--schema', ovfSchema, file], { reject: false });
	return { valid: result.exitCode === 0, messages: result.stderr };
}
