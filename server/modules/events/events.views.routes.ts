// The events list whole: POST /api/events/export (the workbook) and GET /api/events/points (the map).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { eventPoints, eventPointsQuery, exportEventsBody } from '../../../common/contracts/event-views.js';
import { XLSX_MIME } from '../../platform/tabular.js';
import type { EventsExportService } from './events.export.js';
import type { EventsMapService } from './events.map.js';

export function eventViewsRoutes(app: FastifyInstance, exporter: EventsExportService, map: EventsMapService) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['events'];

  // Who may list events is decided per event (jurisdiction or department), so these are open to any
  // signed-in caller and filter in the service exactly as GET /api/events does.
  // A POST like the people export: it writes an audit row, so it carries the CSRF token.
  r.post(
    '/api/events/export',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'The filtered list as XLSX (no personal data), at most 50,000 rows; audited',
        body: exportEventsBody,
      },
    },
    async (req, reply) =>
      reply
        .type(XLSX_MIME)
        .header('content-disposition', 'attachment; filename="events.xlsx"')
        .send(await exporter.workbook(req.ctx, req.body)),
  );
  r.get(
    '/api/events/points',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Open events with a map point (at most 5,000) and open counts per grid',
        querystring: eventPointsQuery,
        response: { 200: eventPoints },
      },
    },
    async (req) => map.points(req.ctx, req.query),
  );
}
