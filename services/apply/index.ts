// The apply API: apply(), the ServiceController interface and its two implementations.
export { apply, type ApplyOptions, type ApplyResult } from './apply.js';
export type { ServiceController, Daemon } from './controller.js';
export { ProcessController, type ProcessControllerOptions } from './process-controller.js';
export { SystemdController, defaultUnit } from './systemd-controller.js';
export { RenderCheckError, ServiceControlError, ApplyError, formatProblem, type CheckProblem } from './errors.js';
export { NoDaemonsController } from './no-daemons-controller.js';
