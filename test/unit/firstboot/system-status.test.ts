// The menu's status screen from what systemctl and the daemons really print (firstboot/system-actions.ts),
// without systemd: the parsing and the layout the pty tests only see through a fake.
import test from 'ava';
import { statusLines, stunnelUnitsIn, unitStateIn, versionIn } from '../../../firstboot/system-actions.js';

test('a unit state is "ActiveState (SubState)", a unit systemd does not know is "not installed"', (t) => {
	t.is(unitStateIn('LoadState=loaded\nActiveState=active\nSubState=running'), 'active (running)');
	t.is(unitStateIn('LoadState=loaded\nActiveState=failed\nSubState=failed\n'), 'failed (failed)');
	t.is(unitStateIn('LoadState=not-found\nActiveState=inactive\nSubState=dead'), 'not installed');
	t.is(unitStateIn(''), '? (?)', 'nothing printed: unknown, not a crash');
});

test('the stunnel units are read from list-units output, whatever their state', (t) => {
	const listed = [
		'stunnel@exlb-https.service loaded active running TLS offload for exlb (https)',
		'stunnel@exlb-imaps.service loaded failed failed  TLS offload for exlb (imaps)',
		'',
	].join('\n');
	t.deepEqual(stunnelUnitsIn(listed), ['stunnel@exlb-https', 'stunnel@exlb-imaps']);
	t.deepEqual(stunnelUnitsIn(''), []);
});

test('versions are found in each program\'s own banner', (t) => {
	t.is(versionIn('haproxy', 'HAProxy version 2.6.12-1+deb12u4 2026/10/17 - https://haproxy.org/\nStatus: long-term supported branch'), '2.6.12-1+deb12u4');
	t.is(versionIn('stunnel', 'Initializing inetd mode configuration\nstunnel 5.68 on x86_64-pc-linux-gnu platform\nCompiled with OpenSSL 3.0.9'), '5.68');
	t.is(versionIn('keepalived', 'Keepalived v2.2.7 (01/16,2022)\n\nCopyright(C) 2001-2022 Alexandre Cassen'), '2.2.7');
	t.is(versionIn('node', 'v20.19.2\n'), '20.19.2');
	t.is(versionIn('haproxy', 'bash: haproxy: command not found'), undefined);
});

test('the status screen: units in columns, a note when no stunnel runs, then versions', (t) => {
	const versions = [['haproxy', '2.6.12-1+deb12u4'], ['node', '20.19.2']] as const;
	t.deepEqual(statusLines([['haproxy', 'active (running)'], ['keepalived', 'not installed']], versions), [
		'Services:',
		'  haproxy                active (running)',
		'  keepalived             not installed',
		'  stunnel                no TLS offload configured',
		'Versions:',
		'  haproxy                2.6.12-1+deb12u4',
		'  node                   20.19.2',
	]);
	const withStunnel = statusLines([['haproxy', 'active (running)'], ['stunnel@exlb-https', 'active (running)']], versions);
	t.true(withStunnel.includes('  stunnel@exlb-https     active (running)'));
	t.false(withStunnel.some((line) => line.includes('no TLS offload configured')));
});
