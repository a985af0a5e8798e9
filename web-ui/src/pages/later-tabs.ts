// The tabs besides the dashboard, in one chunk fetched when the first of them is opened: one chunk rather than one per
// tab, so what they share with the first page is one more file beside it, not a dozen (each a request at the start).
export { AccessPage } from './access.js';
export { CertificatesPage } from './certificates.js';
export { ConfigPage } from './config.js';
export { ConfirmNetworkPage } from './confirm-network.js';
export { NetworkPage } from './network.js';
export { ServicesPage } from './services.js';
export { SetupPage } from './setup.js';
