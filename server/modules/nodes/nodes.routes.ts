// Thin handlers: validate, call one service function, return.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createNodeBody,
  geoFeatureCollection,
  listNodesQuery,
  listNodesResponse,
  moveNodeBody,
  nodeDetail,
  nodeImportReport,
  NODE_IMPORT_COLUMNS,
  polygonsQuery,
  publicAreas,
  publicAreasQuery,
  publicPlace,
  publicPlacesQuery,
  updateNodeBody,
} from '../../../common/contracts/nodes.js';
import { idParam, listOf } from '../../../common/contracts/shared.js';
import { DEFAULT_LANG, renderMessage } from '../../../common/messages/index.js';
import { readUpload } from '../../platform/uploads.js';
import { writeWorkbook, XLSX_MIME } from '../../platform/tabular.js';
import type { NodesService } from './nodes.service.js';

export function nodesRoutes(
  app: FastifyInstance,
  nodes: NodesService,
  opts: { publicLookupRateLimit: number },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['nodes'];
  const lookupLimit = { max: opts.publicLookupRateLimit, timeWindow: '1 minute' };

  r.get(
    '/api/nodes',
    {
      config: { access: 'nodes.read' },
      schema: {
        tags,
        summary:
          'Your scope roots, the children of a node (code order), or with q the places in your scope found by name, full pinyin, initials or code',
        querystring: listNodesQuery,
        response: { 200: listNodesResponse },
      },
    },
    async (req) => {
      const { q, parent, includeRetired, pageSize } = req.query;
      if (q !== undefined) return { items: await nodes.search(req.ctx, q, pageSize ?? 20) };
      return { items: await nodes.list(req.ctx, parent, includeRetired === 'true') };
    },
  );

  // The resident's side: no login, rate limited, place names only.
  r.get(
    '/api/public/places',
    {
      config: { access: 'public', rateLimit: lookupLimit },
      schema: {
        tags,
        summary:
          'Find a town, village or community, or grid by name, pinyin or initials (for the report form)',
        querystring: publicPlacesQuery,
        response: { 200: listOf(publicPlace) },
      },
    },
    async (req) => ({ items: await nodes.publicSearch(req.query.q, req.query.pageSize) }),
  );
  r.get(
    '/api/public/places/areas',
    {
      config: { access: 'public', rateLimit: lookupLimit },
      schema: {
        tags,
        summary:
          "The areas the report form's map draws with their names: the towns, or the places one level below `within`",
        querystring: publicAreasQuery,
        response: { 200: publicAreas },
      },
    },
    async (req) => nodes.publicAreas(req.query.within),
  );
  r.get(
    '/api/nodes/import/template',
    { config: { access: 'nodes.manage' }, schema: { tags, summary: 'XLSX template for the node import' } },
    async (req, reply) => {
      // The sheet's name follows the language asked; the columns are the names the importer reads.
      const sheet = renderMessage('export.sheet.nodes', undefined, req.ctx.lang ?? DEFAULT_LANG);
      const buf = await writeWorkbook(sheet, NODE_IMPORT_COLUMNS, [
        ['330112001', '001', '示例村', '村社', '张三'],
      ]);
      return reply
        .type(XLSX_MIME)
        .header('content-disposition', 'attachment; filename="nodes-template.xlsx"')
        .send(buf);
    },
  );
  r.post(
    '/api/nodes/import',
    {
      config: { access: 'nodes.manage', auditDenied: 'import' },
      schema: {
        tags,
        summary: 'Import nodes from XLSX or CSV (multipart: file, mode)',
        querystring: z.strictObject({ mode: z.enum(['all-or-nothing', 'valid-rows']).optional() }),
        response: { 200: nodeImportReport },
      },
    },
    async (req) => {
      const upload = await readUpload(req, ['mode']);
      const mode = z
        .enum(['all-or-nothing', 'valid-rows'])
        .catch('all-or-nothing')
        .parse(upload.fields.mode ?? req.query.mode);
      return nodes.importTable(req.ctx, upload.file, mode);
    },
  );
  r.get(
    '/api/nodes/:id',
    {
      config: { access: 'nodes.read' },
      schema: {
        tags,
        summary: 'One node with polygon, ancestors and abilities',
        params: idParam,
        response: { 200: nodeDetail },
      },
    },
    async (req) => nodes.get(req.ctx, req.params.id),
  );
  r.get(
    '/api/nodes/:id/counts',
    {
      config: { access: 'nodes.read' },
      schema: {
        tags,
        summary: 'Live nodes under a node, by level',
        params: idParam,
        response: {
          200: z.object({ id: z.number().int(), byLevel: z.record(z.string(), z.number().int()) }),
        },
      },
    },
    async (req) => nodes.counts(req.ctx, req.params.id),
  );
  r.get(
    '/api/nodes/:id/polygons',
    {
      config: { access: 'nodes.read' },
      schema: {
        tags,
        summary: "Children's polygons, or every polygon of a level below",
        params: idParam,
        querystring: polygonsQuery,
        response: { 200: geoFeatureCollection },
      },
    },
    async (req) => nodes.polygons(req.ctx, req.params.id, req.query.level),
  );
  r.post(
    '/api/nodes',
    {
      config: { access: 'nodes.manage' },
      schema: { tags, summary: 'Create a child node', body: createNodeBody, response: { 201: nodeDetail } },
    },
    async (req, reply) => reply.status(201).send(await nodes.create(req.ctx, req.body)),
  );
  r.patch(
    '/api/nodes/:id',
    {
      config: { access: 'nodes.manage' },
      schema: {
        tags,
        summary: 'Rename, set responsible person or polygon',
        params: idParam,
        body: updateNodeBody,
        response: { 200: nodeDetail },
      },
    },
    async (req) => nodes.update(req.ctx, req.params.id, req.body),
  );
  r.post(
    '/api/nodes/:id/move',
    {
      config: { access: 'nodes.manage' },
      schema: {
        tags,
        summary: 'Move a subtree under a new parent',
        params: idParam,
        body: moveNodeBody,
        response: { 200: nodeDetail },
      },
    },
    async (req) => nodes.move(req.ctx, req.params.id, req.body),
  );
  r.post(
    '/api/nodes/:id/retire',
    {
      config: { access: 'nodes.manage' },
      schema: {
        tags,
        summary: 'Retire a node (never deleted)',
        params: idParam,
        response: { 200: nodeDetail },
      },
    },
    async (req) => nodes.retire(req.ctx, req.params.id),
  );
}
