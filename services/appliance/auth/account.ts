// The one web account of the appliance, as the original had it. Shared by the engine's password store and the web
// server (which names it when an API token re-authenticates), without pulling the store into the web bundle.
export const adminUsername = 'admin';
