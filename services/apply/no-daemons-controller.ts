// For hosts without the appliance's units: apply renders, checks and swaps, but starts or reloads nothing.
import type { ServiceController } from './controller.js';

export class NoDaemonsController implements ServiceController {
	async start(): Promise<void> {}
	async reload(): Promise<void> {}
	async stop(): Promise<void> {}
	async isRunning(): Promise<boolean> {
		return false;
	}
}
