// Semantic-version precedence and the downgrade policy.
import test from 'ava';
import { VersionPolicyError } from '../../../services/firmware/bundle-errors.js';
import { checkVersionPolicy, compareVersions } from '../../../services/firmware/bundle-version.js';

test('precedence follows semver.org: numeric parts, pre-releases below their release, build metadata ignored', (t) => {
	const ascending = ['0.9.9', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.2.0', '1.10.0', '2.0.0'];
	for (let i = 0; i < ascending.length - 1; i++) {
		t.is(compareVersions(ascending[i]!, ascending[i + 1]!), -1, `${ascending[i]} < ${ascending[i + 1]}`);
		t.is(compareVersions(ascending[i + 1]!, ascending[i]!), 1);
	}
	t.is(compareVersions('1.2.3+build.7', '1.2.3'), 0);
});

test('a downgrade needs force; an upgrade or the same version does not', (t) => {
	t.notThrows(() => checkVersionPolicy('1.2.3', '1.2.4', false));
	t.notThrows(() => checkVersionPolicy('1.2.3', '1.2.3', false));
	const error = t.throws(() => checkVersionPolicy('1.2.3', '1.2.3-rc.1', false), { instanceOf: VersionPolicyError });
	t.regex(error!.message, /older than the running 1\.2\.3/);
	t.notThrows(() => checkVersionPolicy('1.2.3', '0.1.0', true));
});

test('a version that is not semver is refused, naming which one', (t) => {
	t.is(t.throws(() => checkVersionPolicy('unknown', '1.0.0', true), { instanceOf: VersionPolicyError })!.field, 'running version');
	t.is(t.throws(() => checkVersionPolicy('1.0.0', '1.0', false), { instanceOf: VersionPolicyError })!.field, 'manifest version');
});
