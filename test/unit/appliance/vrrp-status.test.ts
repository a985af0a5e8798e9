import test from 'ava';
import { judgeVrrp, parseVrrpStateFile, vipIn } from '../../../services/appliance/vrrp-status.js';
import { defaultConfig, type HaConfig } from '../../../services/config/schema.js';

const ha = (role: HaConfig['role']): HaConfig => ({ ...defaultConfig().ha, role, vip: role === 'disabled' ? '' : '10.0.0.50' });
const said = (state: 'MASTER' | 'BACKUP' | 'FAULT' | 'STOP') => ({ state, since: '2026-12-03T00:00:00.000Z' });

test('the notify script\'s file: "STATE SECONDS", anything else unknown', (t) => {
	t.deepEqual(parseVrrpStateFile('MASTER 1796256000\n'), { state: 'MASTER', since: '2026-12-03T00:00:00.000Z' });
	t.is(parseVrrpStateFile(''), null);
	t.is(parseVrrpStateFile('PRIMARY 1796256000'), null);
	t.is(parseVrrpStateFile('MASTER soon'), null);
});

test('keepalived and the VIP agree: its state is reported', (t) => {
	t.like(judgeVrrp(ha('master'), { running: true, vipHeld: true, keepalived: said('MASTER') }), { state: 'MASTER', problem: null, since: '2026-12-03T00:00:00.000Z' });
	t.like(judgeVrrp(ha('master'), { running: true, vipHeld: false, keepalived: said('BACKUP') }), { state: 'BACKUP', problem: null });
	t.like(judgeVrrp(ha('backup'), { running: true, vipHeld: false, keepalived: said('FAULT') }), { state: 'FAULT', problem: null });
	t.like(judgeVrrp(ha('backup'), { running: false, vipHeld: false, keepalived: said('MASTER') }), { state: 'STOPPED', problem: null }, 'a stale file of a dead keepalived is not believed');
	t.like(judgeVrrp(ha('disabled'), { running: false, vipHeld: false, keepalived: null }), { state: 'disabled', problem: null });
});

test('keepalived running but silent yet: the VIP tells', (t) => {
	t.like(judgeVrrp(ha('master'), { running: true, vipHeld: true, keepalived: null }), { state: 'MASTER', keepalivedState: null });
	t.like(judgeVrrp(ha('master'), { running: true, vipHeld: false, keepalived: null }), { state: 'BACKUP' });
});

test('keepalived and the VIP disagree: INCONSISTENT, with the reason', (t) => {
	t.deepEqual(judgeVrrp(ha('master'), { running: true, vipHeld: false, keepalived: said('MASTER') }).problem, 'keepalived says MASTER but the VIP 10.0.0.50 is not on any interface of this node');
	t.like(judgeVrrp(ha('backup'), { running: true, vipHeld: true, keepalived: said('BACKUP') }), { state: 'INCONSISTENT', problem: 'keepalived says BACKUP but the VIP 10.0.0.50 is on an interface of this node' });
	t.like(judgeVrrp(ha('backup'), { running: false, vipHeld: true, keepalived: said('STOP') }), { state: 'INCONSISTENT', problem: 'keepalived is not running but the VIP 10.0.0.50 is still on an interface of this node' });
});

test('the VIP in `ip -json address` output', (t) => {
	const json = JSON.stringify([{ ifname: 'eth0', addr_info: [{ local: '10.0.0.5' }, { local: '10.0.0.50' }] }]);
	t.true(vipIn(json, '10.0.0.50'));
	t.false(vipIn(json, '10.0.0.51'));
	t.false(vipIn('not json', '10.0.0.50'));
});
