// Web accounts and API tokens on the engine side. Until the auth store lands (services/appliance/auth), every
// login is refused with a clear reason rather than accepted.
import { ApplianceProblem } from '../appliance/problems.js';
import type { AppliancePaths } from '../paths.js';
import type { AuthHandlers } from './handlers.js';

export function authHandlers(_paths: AppliancePaths): AuthHandlers {
	const missing = async (): Promise<never> => {
		throw new ApplianceProblem('failed', 'web accounts are not available in this build');
	};
	return { 'auth.login': missing, 'auth.changePassword': missing, 'tokens.list': missing, 'tokens.create': missing, 'tokens.revoke': missing, 'tokens.verify': missing };
}
