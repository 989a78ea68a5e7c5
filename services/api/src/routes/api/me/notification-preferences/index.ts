import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NotificationPreferencesSchema } from '@majlis/protocol';
import { ValidationError } from '../../../../errors.js';
import { requireUser } from '../../../../plugins/app/authentication.js';
import { Security } from '../../../../plugins/external/swagger.js';
import { CommonErrors } from '../../../../schemas/common.js';

/** `/api/me/notification-preferences`: per kind, whether it reaches the centre and Web Push. */
const preferencesRoute: FastifyPluginAsyncTypebox = async (app) => {
	const repo = app.notificationsRepository;

	app.get(
		'',
		{
			schema: {
				tags: ['notifications'],
				operationId: 'getNotificationPreferences',
				summary: 'Your notification choices, one per kind',
				security: [...Security.user],
				response: { 200: NotificationPreferencesSchema, ...CommonErrors },
			},
		},
		async (request) => repo.preferences(requireUser(request))
	);

	app.put(
		'',
		{
			schema: {
				tags: ['notifications'],
				operationId: 'putNotificationPreferences',
				summary: 'Change notification choices (kinds left out keep theirs)',
				security: [...Security.user],
				body: NotificationPreferencesSchema,
				response: { 200: NotificationPreferencesSchema, ...CommonErrors },
			},
		},
		async (request) => {
			const userId = requireUser(request);
			const kinds = request.body.map((p) => p.kind);
			if (new Set(kinds).size !== kinds.length) {
				throw new ValidationError({ kind: 'each kind at most once' });
			}
			await repo.setPreferences(userId, request.body);

			return repo.preferences(userId);
		}
	);
};

export default preferencesRoute;
