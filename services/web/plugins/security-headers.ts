// Response headers of every answer (ASVS 14.4): a CSP that allows this origin only (no inline script or style, no
// eval, no framing), nosniff, no Referer, HSTS; and API answers are never cached by a browser or a proxy.
import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
	await app.register(fastifyHelmet, {
		contentSecurityPolicy: {
			useDefaults: false,
			directives: {
				defaultSrc: ['\'self\''],
				frameAncestors: ['\'none\''],
				baseUri: ['\'none\''],
				formAction: ['\'self\''],
				objectSrc: ['\'none\''],
			},
		},
		strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
		referrerPolicy: { policy: 'no-referrer' },
		xFrameOptions: { action: 'deny' },
		crossOriginEmbedderPolicy: false,
	});
	app.addHook('onSend', async (_request, reply) => {
		if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
	});
}
