// Resolves the users allowed on the engine socket from names or numeric ids (/etc/passwd, no subprocess).
import { readFile } from 'node:fs/promises';

export interface SystemUser {
	readonly name: string;
	readonly uid: number;
	readonly gid: number;
}

export function usersIn(passwd: string): SystemUser[] {
	return passwd.split('\n').filter((line) => line !== '' && !line.startsWith('#')).map((line) => {
		const [name = '', , uid = '', gid = ''] = line.split(':');
		return { name, uid: Number(uid), gid: Number(gid) };
	});
}

/** Each entry of `names` ("exlb-web", "1001"): a user of /etc/passwd, or a numeric uid; unknown names are reported. */
export async function resolveUsers(names: readonly string[], passwdFile = '/etc/passwd'): Promise<{ users: SystemUser[]; unknown: string[] }> {
	const known = usersIn(await readFile(passwdFile, 'utf8').catch(() => ''));
	const users: SystemUser[] = [];
	const unknown: string[] = [];
	for (const name of names) {
		const found = known.find((user) => user.name === name) ?? (/^[0-9]+$/.test(name) ? { name, uid: Number(name), gid: Number(name) } : undefined);
		if (found === undefined) unknown.push(name);
		else users.push(found);
	}
	return { users, unknown };
}
