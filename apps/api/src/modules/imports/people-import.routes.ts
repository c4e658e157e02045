import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  applyPeopleImportBodySchema,
  MAX_IMPORT_BYTES,
  pathId,
  peopleImportQuerySchema,
  peopleImportRowsPageSchema,
  peopleImportRowsQuerySchema,
  peopleImportSchema,
  peopleImportTemplateQuerySchema,
} from '@covey/schema';
import { AppError } from '../../lib/errors.ts';
import { authProblems, problems } from '../../lib/openapi.ts';
import { pageWithLink } from '../../lib/pagination.ts';
import { readUpload } from '../../lib/uploads.ts';
import { principalOf } from '../../plugins/auth.ts';
import { authorize } from '../../policy/index.ts';
import { peopleTemplate } from './people-csv.ts';
import { peopleImportService } from './people-import.service.ts';

const tags = ['imports'];
const importParams = z.object({ importId: pathId() });
const location = (id: string) => `/api/v1/imports/people/${id}`;
/** Spreadsheet programs and browsers send a .csv file under any of these types. */
const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel'];

export const peopleImportRoutes: FastifyPluginAsyncZod = async (app) => {
  const imports = peopleImportService(app);
  // The raw bytes: the service finds the encoding (UTF-8 with or without BOM, UTF-16, Windows-1252).
  app.addContentTypeParser(CSV_TYPES, { parseAs: 'buffer', bodyLimit: MAX_IMPORT_BYTES }, (_request, body, done) => done(null, body));

  app.get(
    '/imports/people/template',
    {
      schema: {
        operationId: 'getPeopleImportTemplate',
        tags,
        summary: 'The CSV template of a people import (UTF-8 with a byte order mark; `?example=true` adds two rows)',
        description:
          'The CSV template of a people import (UTF-8 with a byte order mark, for spreadsheets); `?example=true` adds two example rows. Workspace admins.',
        querystring: peopleImportTemplateQuerySchema,
        // The template is CSV; an error is problem+json.
        produces: ['application/json', 'text/csv'],
        response: { 200: z.string().max(MAX_IMPORT_BYTES).describe('text/csv'), ...problems(...authProblems, 403) },
      },
    },
    async (request, reply) => {
      authorize(principalOf(request), 'importPeople');
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="people-template.csv"')
        .send(peopleTemplate(request.query.example ?? false));
    },
  );

  app.post(
    '/imports/people',
    {
      bodyLimit: MAX_IMPORT_BYTES,
      schema: {
        operationId: 'analysePeopleImport',
        tags,
        summary:
          'Upload a CSV of people (multipart field `file`, or a `text/csv` body): the dry run answers what each row would do; nothing is written until it is applied',
        description:
          'Uploads a CSV of people and answers its dry run: what each row would create, update or refuse, and why. Nothing is written until the import is applied. Workspace admins; a malformed file answers 422.',
        consumes: ['multipart/form-data', 'text/csv'],
        querystring: peopleImportQuerySchema,
        response: { 201: peopleImportSchema, ...problems(...authProblems, 403, 413, 415) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      // Permission first: someone who may not import learns nothing from how their file is judged.
      authorize(principal, 'importPeople');
      let bytes: Buffer;
      let fileName = request.query.fileName ?? null;
      if (request.isMultipart()) {
        const upload = await readUpload(request, MAX_IMPORT_BYTES);
        bytes = upload.data;
        fileName ??= upload.filename || null;
      } else if (Buffer.isBuffer(request.body)) bytes = request.body;
      else throw new AppError('unsupported_media_type', 'Send the file as text/csv, or as multipart/form-data in a field named file.');
      const created = await imports.analyse(principal, bytes, fileName?.slice(0, 255) ?? null);
      return reply.code(201).header('location', location(created.id)).send(created);
    },
  );

  app.get(
    '/imports/people/:importId',
    {
      schema: {
        operationId: 'getPeopleImport',
        tags,
        summary: 'A people import: its dry run’s counts, then its progress and results once applied',
        description:
          'A people import: the counts of its dry run, then its progress and results once applied. Workspace admins.',
        params: importParams,
        response: { 200: peopleImportSchema, ...problems(...authProblems, 404) },
      },
    },
    async (request) => imports.get(principalOf(request), request.params.importId),
  );

  app.get(
    '/imports/people/:importId/rows',
    {
      schema: {
        operationId: 'listPeopleImportRows',
        tags,
        summary: 'The per-row report of a people import, in file order: what each row would do, then what it did and why',
        description:
          'The per-row report of a people import in file order: what each row would do, then what it did and why. Workspace admins.',
        params: importParams,
        querystring: peopleImportRowsQuerySchema,
        response: { 200: peopleImportRowsPageSchema, ...problems(...authProblems, 404) },
      },
    },
    async (request, reply) => pageWithLink(request, reply, await imports.rows(principalOf(request), request.params.importId, request.query)),
  );

  app.post(
    '/imports/people/:importId/apply',
    {
      schema: {
        operationId: 'applyPeopleImport',
        tags,
        summary: 'Apply an analysed import in the background: its valid rows go ahead, refused rows stay out (202 + Location)',
        description:
          'Applies an analysed import in the background (202 + Location): valid rows go ahead, refused rows stay out. Applying it twice answers 409. Workspace admins.',
        params: importParams,
        body: applyPeopleImportBodySchema.nullish(),
        response: { 202: peopleImportSchema, ...problems(...authProblems, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const applied = await imports.apply(principalOf(request), request.params.importId, request.body?.invite ?? true);
      return reply.code(202).header('location', location(applied.id)).send(applied);
    },
  );
};
