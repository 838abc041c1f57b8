import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createPersonBody,
  createTagBody,
  exportBody,
  householdDetail,
  householdSummary,
  importList,
  importReport,
  importsQuery,
  listHouseholdsQuery,
  listPeopleQuery,
  mergeBody,
  PEOPLE_IMPORT_COLUMNS,
  personDetail,
  personSummary,
  revealBody,
  revealResponse,
  tag,
  updatePersonBody,
  updateTagBody,
} from '../../../common/contracts/people.js';
import { idParam, paged } from '../../../common/contracts/shared.js';
import { DEFAULT_LANG, renderMessage } from '../../../common/messages/index.js';
import { writeWorkbook, XLSX_MIME } from '../../platform/tabular.js';
import { readUpload } from '../../platform/uploads.js';
import type { PeopleImporter } from './people.import.js';
import type { PeopleService } from './people.service.js';

const attachment = (name: string) => `attachment; filename="${name}"`;

export function peopleRoutes(app: FastifyInstance, people: PeopleService, importer: PeopleImporter) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['people'];

  r.get(
    '/api/people',
    {
      config: { access: 'people.read' },
      schema: {
        tags,
        summary: 'People in your scope (masked)',
        querystring: listPeopleQuery,
        response: { 200: paged(personSummary) },
      },
    },
    async (req) => people.list(req.ctx, req.query),
  );
  r.get(
    '/api/people/import/template',
    { config: { access: 'people.import' }, schema: { tags, summary: 'XLSX template for the people import' } },
    async (req, reply) => {
      // The sheet's name follows the language asked; the columns are the names the importer reads.
      const sheet = renderMessage('export.sheet.people', undefined, req.ctx.lang ?? DEFAULT_LANG);
      const buf = await writeWorkbook(sheet, PEOPLE_IMPORT_COLUMNS, [
        [
          '张三',
          '330112199001011237',
          '13800138000',
          '锦城街道某小区1幢101',
          '330112001001001',
          '户籍人口',
          '党员',
          'H001',
          '户主',
          '',
          '汉族',
          '',
          '',
          '',
        ],
      ]);
      return reply
        .type(XLSX_MIME)
        .header('content-disposition', attachment('people-template.xlsx'))
        .send(buf);
    },
  );
  r.post(
    '/api/people/import',
    {
      config: { access: 'people.import', auditDenied: 'import' },
      schema: {
        tags,
        summary: 'Import people (multipart: file, mode, ref); every row checked first',
        querystring: z.strictObject({ mode: z.enum(['all-or-nothing', 'valid-rows']).optional() }),
        response: { 200: importReport },
      },
    },
    async (req) => {
      const upload = await readUpload(req, ['mode', 'ref']);
      const mode = z
        .enum(['all-or-nothing', 'valid-rows'])
        .catch('all-or-nothing')
        .parse(upload.fields.mode ?? req.query.mode);
      const ref = z
        .string()
        .max(64)
        .nullable()
        .catch(null)
        .parse(upload.fields.ref ?? null);
      return importer.run(req.ctx, upload.file, mode, ref);
    },
  );
  r.get(
    '/api/people/imports',
    {
      config: { access: 'people.import' },
      schema: {
        tags,
        summary: 'Your imports run under a ref: empty until the server has registered the run',
        querystring: importsQuery,
        response: { 200: importList },
      },
    },
    async (req) => importer.byRef(req.ctx, req.query.ref),
  );
  r.get(
    '/api/people/imports/by-ref/:ref',
    {
      config: { access: 'people.import' },
      schema: {
        tags,
        summary: 'Progress of your import',
        params: z.strictObject({ ref: z.string().max(64) }),
        response: { 200: importReport },
      },
    },
    async (req) => importer.progress(req.ctx, req.params.ref),
  );
  r.get(
    '/api/people/imports/:id/errors.xlsx',
    {
      config: { access: 'people.import' },
      schema: { tags, summary: 'The bad rows of your import with an error column', params: idParam },
    },
    async (req, reply) =>
      reply
        .type(XLSX_MIME)
        .header('content-disposition', attachment(`import-${req.params.id}-errors.xlsx`))
        .send(await importer.errorWorkbook(req.ctx, req.params.id)),
  );
  r.post(
    '/api/people/export',
    {
      config: { access: 'people.read', auditDenied: 'sensitive' },
      schema: {
        tags,
        summary: 'The filtered list as XLSX (masked unless revealed with a reason)',
        body: exportBody,
      },
    },
    async (req, reply) =>
      reply
        .type(XLSX_MIME)
        .header('content-disposition', attachment('people.xlsx'))
        .send(await people.export(req.ctx, req.body)),
  );
  r.get(
    '/api/people/:id',
    { config: { access: 'people.read' }, schema: { tags, params: idParam, response: { 200: personDetail } } },
    async (req) => people.get(req.ctx, req.params.id),
  );
  r.post(
    '/api/people',
    {
      config: { access: 'people.write' },
      schema: { tags, body: createPersonBody, response: { 201: personDetail } },
    },
    async (req, reply) => reply.status(201).send(await people.create(req.ctx, req.body)),
  );
  r.patch(
    '/api/people/:id',
    {
      config: { access: 'people.write' },
      schema: { tags, params: idParam, body: updatePersonBody, response: { 200: personDetail } },
    },
    async (req) => people.update(req.ctx, req.params.id, req.body),
  );
  r.post(
    '/api/people/:id/reveal',
    {
      config: { access: 'people.reveal', auditDenied: 'sensitive' },
      schema: {
        tags,
        summary: 'The clear value of one field, once; audited with the reason',
        params: idParam,
        body: revealBody,
        response: { 200: revealResponse },
      },
    },
    async (req) => people.reveal(req.ctx, req.params.id, req.body.field, req.body.reason),
  );
  r.post(
    '/api/people/:id/merge',
    {
      config: { access: 'people.merge' },
      schema: {
        tags,
        summary: 'Merge another record into this one',
        params: idParam,
        body: mergeBody,
        response: { 200: personDetail },
      },
    },
    async (req) => people.merge(req.ctx, req.params.id, req.body.otherId, req.body.reason),
  );

  r.get(
    '/api/households',
    {
      config: { access: 'people.read' },
      schema: { tags, querystring: listHouseholdsQuery, response: { 200: paged(householdSummary) } },
    },
    async (req) => people.households(req.ctx, req.query),
  );
  r.get(
    '/api/households/:id',
    {
      config: { access: 'people.read' },
      schema: { tags, params: idParam, response: { 200: householdDetail } },
    },
    async (req) => people.household(req.ctx, req.params.id),
  );

  r.get(
    '/api/tags',
    { config: { access: 'people.read' }, schema: { tags, response: { 200: z.array(tag) } } },
    async () => people.tags(),
  );
  r.post(
    '/api/tags',
    {
      config: { access: 'tags.manage' },
      schema: { tags, body: createTagBody, response: { 201: z.array(tag) } },
    },
    async (req, reply) => reply.status(201).send(await people.createTag(req.ctx, req.body)),
  );
  r.patch(
    '/api/tags/:code',
    {
      config: { access: 'tags.manage' },
      schema: {
        tags,
        params: z.strictObject({ code: z.string().max(40) }),
        body: updateTagBody,
        response: { 200: z.array(tag) },
      },
    },
    async (req) => people.updateTag(req.ctx, req.params.code, req.body),
  );
}
