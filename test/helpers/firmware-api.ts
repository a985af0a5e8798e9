// The firmware API of an appliance booted under QEMU, for the boot tests and the firmware benchmark: log in once the
// API answers, read GET /api/v1/firmware, and the multipart form of an install.
import { openAsBlob } from 'node:fs';
import { FormData } from 'undici';
import { apiDeadlineMs, curlUntilAnswered } from '../boot/firstboot-support.js';
import { ApiClient } from './api-client.js';
import type { Guest } from './qemu.js';

export interface SlotView { slot: 'A' | 'B'; status: string; version?: string; booted: boolean; next: boolean; triesLeft?: number }
export interface FirmwareView {
	booted: 'A' | 'B';
	next: 'A' | 'B';
	slots: SlotView[];
	rolledBackFrom?: { slot: 'A' | 'B'; version?: string };
	install?: { state: string; steps: { step: string }[] };
}

/** Waits for the API after a boot (through hostfwd to 4444) and logs in: loggedInAt. */
export function loggedInGuest(guest: Guest, password: string, first: boolean): Promise<ApiClient> {
	return loggedInAt(`https://127.0.0.1:${guest.hostPort(4444)}`, password, first);
}

/** Waits for the API at `origin` and logs in; `first`: with the factory password, changed to `password` at once. */
export async function loggedInAt(origin: string, password: string, first: boolean): Promise<ApiClient> {
	await curlUntilAnswered(`${origin}/api/v1/openapi.json`, apiDeadlineMs);
	const api = new ApiClient(origin, null);
	if (first) {
		await api.login('admin', 'admin');
		const changed = await api.request('PUT', '/api/v1/account/password', { json: { current: 'admin', new: password } });
		if (changed.status !== 204) throw new Error(`password change: ${changed.status} ${changed.text}`);
	}
	const login = await api.login('admin', password);
	if (login.status !== 200) throw new Error(`login: ${login.status} ${login.text}`);
	return api;
}

export async function firmwareView(api: ApiClient): Promise<FirmwareView> {
	const answer = await api.request('GET', '/api/v1/firmware');
	if (answer.status !== 200) throw new Error(`GET /api/v1/firmware: ${answer.status} ${answer.text}`);
	return answer.body as FirmwareView;
}

export function slotOf(view: FirmwareView, name: 'A' | 'B'): SlotView {
	return view.slots.find((candidate) => candidate.slot === name)!;
}

/** The install's multipart form: the password first (re-authentication before any byte of the bundle is read). */
export async function installForm(file: string, password: string): Promise<FormData> {
	const form = new FormData();
	form.append('password', password);
	form.append('bundle', await openAsBlob(file), 'update.exlbfw');
	return form;
}
