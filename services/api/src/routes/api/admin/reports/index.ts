import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ReportListSchema, ResolveReportBodySchema } from '@majlis/protocol';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ForbiddenError, NotFoundError } from '../../../../errors.js';
import { requireUser } from '../../../../plugins/app/authentication.js';
import { Security } from '../../../../plugins/external/swagger.js';
import { CommonErrors, NoContentSchema, UuidSchema } from '../../../../schemas/common.js';

/**
 * `/api/admin/reports`: the deployment admins' global queue (admins are configured handles) and its
 * actions: dismiss, or suspend the reported account (it cannot log in; its sessions and sockets end).
 */
const adminReports: FastifyPluginAsyncTypebox = async (app) => {
	const { reports, usersRepository, sessions } = app;

	async function requireAdmin(request: FastifyRequest): Promise<string> {
		const userId = requireUser(request);
		const user = await usersRepository.findById(userId);
		if (!user || !reports.isAdmin(user.handle)) {
			throw new ForbiddenError('only the deployment admins see this');
		}

		return userId;
	}

	app.get(
		'',
		{
			schema: {
				tags: ['users'],
				operationId: 'listReports',
				summary: 'Every open report, oldest first (deployment admins)',
				security: [...Security.user],
				response: { 200: ReportListSchema, ...CommonErrors },
			},
		},
		async (request) => {
			await requireAdmin(request);

			return { items: await reports.open() };
		}
	);

	app.post(
		'/:reportId/resolve',
		{
			schema: {
				tags: ['users'],
				operationId: 'resolveReport',
				summary: 'Dismiss a report, or suspend the reported account (deployment admins)',
				security: [...Security.user],
				params: Type.Object({ reportId: UuidSchema }),
				body: ResolveReportBodySchema,
				response: { 204: NoContentSchema, ...CommonErrors },
			},
		},
		async (request, reply) => {
			const adminId = await requireAdmin(request);
			const report = await reports.find(request.params.reportId);
			if (!report) {
				throw new NotFoundError('report');
			}
			if (request.body.action === 'suspend') {
				await reports.suspend(report.target.id);
				// Every session ends now: REST refuses their token, and the SFU closes their sockets.
				await sessions.revokeAll(report.target.id);
			}
			await reports.resolve(
				report.id,
				request.body.action === 'suspend' ? 'suspended' : 'dismissed',
				adminId
			);
			reply.code(204);
		}
	);
};

export default adminReports;
