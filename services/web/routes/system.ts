// The appliance itself: what it is (the setup tab's facts), reboot, and the two actions that ask for the password
// again (ASVS 3.7.1): power-off and factory reset (two levels: the configuration, keeping the network; everything).
import { Type } from '@sinclair/typebox';
import { operations } from '../../engine/protocol.js';
import { reauthenticate } from '../auth/password-check.js';
import { clearSessionCookie } from '../auth/session-cookie.js';
import { callEngine, principalOf, type WebApp } from '../context.js';
import { engineRoute } from '../engine-route.js';
import { PasswordAgain, responses, tags } from '../route-schemas.js';

const ResetBody = Type.Object({
	password: PasswordAgain.properties.password,
	level: Type.Optional(operations['system.factoryReset'].params.properties.level),
}, { additionalProperties: false, description: 'the account\'s password, asked again, and the level (default: configuration)' });

export async function systemRoutes(app: WebApp): Promise<void> {
	engineRoute(app, 'GET', '/api/v1/system', 'system.info', { tag: tags.system, summary: 'About this appliance' });

	app.post('/api/v1/system/reboot', {
		schema: { tags: [tags.system], summary: 'Reboot', description: `${operations['system.reboot'].description} (202: under way)`, response: responses(202, operations['system.reboot'].result) },
	}, async (request, reply) => reply.code(202).send(await callEngine(request, 'system.reboot', {})));

	app.post('/api/v1/system/power-off', {
		schema: {
			tags: [tags.system], summary: 'Power off', description: `${operations['system.powerOff'].description}; asks for the password again (202: under way).`,
			body: PasswordAgain, response: responses(202, operations['system.powerOff'].result),
		},
	}, async (request, reply) => {
		await reauthenticate(request, request.body.password);
		return reply.code(202).send(await callEngine(request, 'system.powerOff', {}));
	});

	app.post('/api/v1/system/factory-reset', {
		schema: {
			tags: [tags.system], summary: 'Factory reset',
			description: `${operations['system.factoryReset'].description}; asks for the password again. level "configuration" (the default): the load-balancing `
				+ 'settings go back to the defaults at once, certificates, history, web accounts and tokens are erased, the network settings are kept (202: done). '
				+ 'level "everything": the data partition is re-created at the next boot, then the console\'s first-boot prompt (202: rebooting). '
				+ 'Every session of the account ends; the admin logs in with the factory password and changes it.',
			body: ResetBody, response: responses(202, operations['system.factoryReset'].result),
		},
	}, async (request, reply) => {
		await reauthenticate(request, request.body.password);
		const result = await callEngine(request, 'system.factoryReset', { level: request.body.level ?? 'configuration' });
		app.web.sessions.revokeAllOf(principalOf(request).account);
		app.web.bearerTokens.clear();
		clearSessionCookie(reply);
		return reply.code(202).send(result);
	});
}
