// Every combination of HTTP × IMAP × POP3 × SMTP × RPC × HA role × Exchange version (7776) is validated and
// rendered; each distinct rendered file is then checked by the real daemon (haproxy -c, keepalived -t, stunnel
// started until "Configuration successful"). Identical files are checked once: the proof covers all combinations.
import test from 'ava';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir, availableParallelism } from 'node:os';
import path from 'node:path';
import { validateConfig, formatIssue } from '../../services/config/validate.js';
import { renderAll, localRenderEnv, daemonTexts, configFileName, isStunnel, type Daemon } from '../../services/render/index.js';
import { checkHaproxy, checkKeepalived, checkStunnel } from '../../services/apply/checkers.js';
import { formatProblem, type CheckProblem } from '../../services/apply/errors.js';
import { generateSelfSigned } from '../../services/certs/self-signed.js';
import { getAt, parseFieldPath, schemaAt } from '../../services/config/field-path.js';
import { allCombinations, configFor, pool } from './helpers.js';
import { namespaceWithEth0 } from '../helpers/netns.js';

type FileName = 'haproxy.cfg' | 'stunnel' | 'keepalived.conf';

interface Distinct {
	readonly text: string;
	readonly fields: readonly (string | null)[];
	count: number;
	readonly example: string;
}

const dir = await mkdtemp(path.join(tmpdir(), 'exlb-render-all-'));
const env = localRenderEnv(dir, { interface: 'eth0', bindAddress: '' });
const netns = `exlb-render-${process.pid}`;
const distinct: Record<FileName, Map<string, Distinct>> = { 'haproxy.cfg': new Map(), stunnel: new Map(), 'keepalived.conf': new Map() };
/** The fields the combinations vary, and how many choices the config schema offers at each. */
const variedFields = ['http.mode', 'imap.mode', 'pop3.mode', 'smtp.mode', 'rpc.mode', 'ha.role', 'exchangeVersion'] as const;
const choicesAt = (field: string) => (schemaAt(parseFieldPath(field)).anyOf as unknown[]).length;
const expectedCombinations = variedFields.reduce((product, field) => product * choicesAt(field), 1);
const combinations = new Set<string>();
const invalid: string[] = [];
let removeNamespace: () => Promise<void> = async () => {};

test.before(async () => {
	await mkdir(env.certDir, { recursive: true });
	await generateSelfSigned('mail.example.com', path.join(env.certDir, 'self-signed.pem'));
	removeNamespace = await namespaceWithEth0(netns);
	for (const combination of allCombinations()) {
		const config = configFor(combination);
		combinations.add(variedFields.map((field) => String(getAt(config, parseFieldPath(field)))).join(' '));
		const result = validateConfig(config);
		if (!result.ok) {
			invalid.push(`${JSON.stringify(combination)}: ${result.errors.map(formatIssue).join('; ')}`);
			continue;
		}
		const files = renderAll(result.config, env);
		for (const [daemon, text] of Object.entries(daemonTexts(files))) {
			if (text === null) continue;
			const file = configFileName(daemon as Daemon);
			const kind: FileName = isStunnel(daemon as Daemon) ? 'stunnel' : (file as FileName);
			const entry = distinct[kind].get(text);
			if (entry) entry.count++;
			else distinct[kind].set(text, { text, fields: files.lineFields[file] ?? [], count: 1, example: JSON.stringify(combination) });
		}
	}
});

test.after.always(async () => {
	await removeNamespace();
	await rm(dir, { recursive: true, force: true });
});

async function checkAll(t: import('ava').ExecutionContext, name: FileName, check: (file: string, fields: readonly (string | null)[]) => Promise<CheckProblem[]>) {
	const entries = [...distinct[name].values()];
	let index = 0;
	const failures = (await pool(entries, availableParallelism(), async (entry) => {
		const file = path.join(dir, `${index++}-${name}`);
		await writeFile(file, entry.text);
		const problems = await check(file, entry.fields);
		return problems.length === 0 ? null : `${entry.example}: ${problems.map(formatProblem).join('; ')}`;
	})).filter((failure) => failure !== null);
	t.log(`${entries.length} distinct ${name} files checked (${entries.reduce((sum, entry) => sum + entry.count, 0)} rendered files across the combinations)`);
	t.deepEqual(failures.slice(0, 5), []);
}

test(`all ${expectedCombinations} combinations of the schema's choices are rendered, each a valid configuration`, (t) => {
	t.is(combinations.size, expectedCombinations, `distinct combinations of ${variedFields.join(', ')} rendered, against the product of the schema's choices`);
	t.deepEqual(invalid.slice(0, 5), []);
});

test('every distinct haproxy.cfg passes haproxy -c', async (t) => {
	t.true(distinct['haproxy.cfg'].size > 1000);
	await checkAll(t, 'haproxy.cfg', (file, lineFields) => checkHaproxy(file, { lineFields }));
});

test('every distinct stunnel file starts in stunnel (its own check)', async (t) => {
	t.is(distinct.stunnel.size, 4, 'one per offloaded service (https, imaps, pop3s, smtps): each file depends on its service only');
	await checkAll(t, 'stunnel', (file, lineFields) => checkStunnel(file, { lineFields }));
});

test('every distinct keepalived.conf passes keepalived -t', async (t) => {
	t.is(distinct['keepalived.conf'].size, 2, 'master and backup; nothing when HA is disabled');
	await checkAll(t, 'keepalived.conf', (file, lineFields) => checkKeepalived(file, { lineFields, netns }));
});
