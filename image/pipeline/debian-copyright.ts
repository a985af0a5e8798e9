// The licenses Debian states for a package: the License short names of its machine-readable (DEP-5) copyright file.
import { lstat, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { SbomInputError } from './errors.js';

const dep5Format = /^Format:\s*https?:\/\/(www\.)?debian\.org\/doc\/packaging-manuals\/copyright-format\/1\.0\/?\s*$/m;

/**
 * The distinct License short names of a DEP-5 copyright file's header and Files paragraphs, in order of appearance;
 * [] when the file is free-form (Debian then states no license in a form a program can read).
 */
export function copyrightLicenses(text: string): string[] {
	const paragraphs = text.replaceAll('\r\n', '\n').split(/\n[ \t]*\n/);
	const header = paragraphs[0] ?? '';
	if (!dep5Format.test(header.split('\n')[0] ?? '')) return [];
	const names: string[] = [];
	for (const [index, paragraph] of paragraphs.entries()) {
		// Stand-alone License paragraphs only hold the texts of names the Files paragraphs use.
		if (index > 0 && !/^Files:/m.test(paragraph)) continue;
		const name = /^License:[ \t]*(.*)$/m.exec(paragraph)?.[1]?.trim();
		if (name !== undefined && name !== '' && !names.includes(name)) names.push(name);
	}
	return names;
}

/** A path inside `root` with its symlinks resolved inside `root` (absolute links point into the tree, not the host). */
async function resolveInRoot(tree: string, relative: string): Promise<string> {
	const root = path.resolve(tree);
	let resolved = root;
	const parts = relative.split('/').filter((part) => part !== '');
	for (let hops = 0; parts.length > 0; ) {
		const part = parts.shift()!;
		if (part === '..') {
			resolved = resolved === root ? root : path.dirname(resolved);
			continue;
		}
		const candidate = path.join(resolved, part);
		const info = await lstat(candidate).catch(() => undefined);
		if (info?.isSymbolicLink()) {
			if (++hops > 16) throw new SbomInputError(root, 'path', relative, 'passes through more than 16 symbolic links');
			const target = await readlink(candidate);
			if (target.startsWith('/')) resolved = root;
			parts.unshift(...target.split('/').filter((segment) => segment !== ''));
		} else {
			resolved = candidate;
		}
	}
	return resolved;
}

/** The licenses of installed package `name` in the tree `root` ([] when it has no copyright file or no DEP-5 one). */
export async function packageLicenses(root: string, name: string): Promise<string[]> {
	const file = await resolveInRoot(root, `usr/share/doc/${name}/copyright`);
	const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
		if (error.code === 'ENOENT') return '';
		throw error;
	});
	return copyrightLicenses(text);
}
