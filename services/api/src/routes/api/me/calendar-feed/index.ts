import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CalendarFeedSchema } from '@majlis/protocol';
import type { FastifyRequest } from 'fastify';
import { requireUser } from '../../../../plugins/app/authentication.js';
import { Security } from '../../../../plugins/external/swagger.js';
import { CommonErrors, NoContentSchema } from '../../../../schemas/common.js';

/** `/api/me/calendar-feed`: the secret URL of your personal calendar feed; make a new one or revoke it. */
const calendarFeedRoute: FastifyPluginAsyncTypebox = async (app) => {
	const url = (request: FastifyRequest, secret: string) =>
		`${request.protocol}://${request.host}/api/calendar/${secret}.ics`;
	const schema = (operationId: string, summary: string) => ({
		tags: ['calendars'],
		operationId,
		summary,
		security: [...Security.user],
		response: { 200: CalendarFeedSchema, ...CommonErrors },
	});

	app.get(
		'',
		{ schema: schema('getCalendarFeed', 'Your feed’s secret URL (made on first use)') },
		async (request) => ({
			url: url(request, await app.calendars.feedSecret(requireUser(request))),
		})
	);

	app.post(
		'',
		{ schema: schema('rotateCalendarFeed', 'A new secret URL; the old one stops working') },
		async (request) => ({
			url: url(request, await app.calendars.rotateFeedSecret(requireUser(request))),
		})
	);

	app.delete(
		'',
		{
			schema: {
				...schema('revokeCalendarFeed', 'Revoke your feed URL'),
				response: { 204: NoContentSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			await app.calendars.revokeFeed(requireUser(request));
			reply.code(204);
		}
	);
};

export default calendarFeedRoute;
