import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { and, desc, eq, sql } from 'drizzle-orm';
import { statementImports } from '../../db/schema.js';
import type { CsvPreset } from '../../statements/index.js';
import {
  importStatementFile,
  importTenantStatementFile,
  importView,
  STATEMENT_FORMAT_NAMES,
  type StatementFileImport as StatementFileImportResult,
  type StatementImportOptions,
} from '../../transactions/statement-import.js';
import type { DatabaseHandle } from '../../db/client.js';
import { StatementImportError } from '../../transactions/statement-errors.js';
import { audit } from '../audit.js';
import { decodeCursor, page } from '../pagination.js';
import { HttpProblem } from '../problems.js';
import { Page, PageQuery, Uuid } from '../schemas/common.js';
import {
  StatementFileImport,
  statementFileImportView,
  StatementImport,
  StatementUploadQuery,
  statementImportView,
  TenantStatementUploadQuery,
} from '../schemas/statements.js';
import { previewStatementFile } from '../../transactions/statement-preview.js';
import { StatementPreview, statementPreviewView } from '../schemas/statement-preview.js';
import { tenantAccount } from './accounts.js';
import { resolveCsvPreset } from './csv-presets.js';

/** Statement files can be big: a year of a busy account in camt.053 is well over 100 MB. */
export const STATEMENT_BODY_LIMIT = 200 * 1024 * 1024;

const Params = Type.Object({ accountId: Uuid });
/** What a statement file may be sent as; any other media type is taken as the file too. */
const FILE_MEDIA_TYPES = ['application/octet-stream', 'application/xml', 'text/plain', 'text/csv'];

/** One event per import (one per account the file went into) and per account the file created, in the import's own transaction. */
async function auditImport(transaction: DatabaseHandle, request: FastifyRequest, { imports, createdAccounts }: StatementFileImportResult) {
  for (const accountId of createdAccounts) await audit(transaction.db, request, 'account.created', { type: 'account', id: accountId }, { via: 'statement import' });
  for (const done of imports) {
    await audit(transaction.db, request, 'statement.imported', { type: 'statement_import', id: done.importId }, {
      account_id: done.accountId,
      format: done.format,
      inserted: done.counts.inserted,
      already_imported: done.alreadyImported,
    });
  }
}

/** Statement file uploads into an account or routed into the tenant's accounts, and an account's past imports. */
export const statementRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { database } = app.deps;

  // Any body that is not JSON is the file itself, handed on as a stream: it is read as it is imported.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('*', { bodyLimit: STATEMENT_BODY_LIMIT }, (_request, payload, done) => done(null, payload));

  /** The uploaded file, checked, and the import's refusals as problems. */
  async function upload<T>(
    request: FastifyRequest,
    { format: formatName, preset: presetName, on_balance_mismatch: onBalanceMismatch }: Static<typeof StatementUploadQuery>,
    run: (file: AsyncIterable<Uint8Array | string>, options: StatementImportOptions) => Promise<T>,
  ): Promise<T> {
    const format = formatName ? STATEMENT_FORMAT_NAMES[formatName] : undefined;
    const csv: CsvPreset | undefined = presetName ? await resolveCsvPreset(database.db, request, presetName) : undefined;
    const body = request.body as Readable | undefined;
    if (body === undefined || body === null) throw new HttpProblem(400, 'The body is empty: send the statement file itself as the body.', { type: 'empty-file' });
    if (typeof (body as Partial<Readable>)[Symbol.asyncIterator] !== 'function') {
      throw new HttpProblem(415, 'The body must be the statement file itself (e.g. Content-Type: application/octet-stream), not JSON.');
    }
    const declared = Number(request.headers['content-length']);
    if (declared > STATEMENT_BODY_LIMIT) throw new HttpProblem(413, `The file is larger than ${STATEMENT_BODY_LIMIT / 1024 / 1024} MB.`);
    const file = limitedBody(body, STATEMENT_BODY_LIMIT);
    try {
      return await run(file.chunks, { format, csv, onBalanceMismatch, beforeCommit: (transaction, result) => auditImport(transaction, request, result) });
    } catch (error) {
      if (error instanceof StatementImportError) {
        const { location, line } = error.where;
        throw new HttpProblem(error.status, error.detail, {
          type: error.type,
          extensions: { ...(location !== undefined && { location }), ...(line !== undefined && { line }), ...error.extensions },
        });
      }
      throw error;
    } finally {
      file.discardRest();
    }
  }

  app.post(
    '/v1/accounts/:accountId/statements',
    {
      bodyLimit: STATEMENT_BODY_LIMIT,
      config: { fileBody: FILE_MEDIA_TYPES },
      schema: {
        tags: ['statements'],
        summary: 'Import a statement file (camt.052, camt.053, camt.054, MT940, MT942 or CSV) into the account',
        description:
          `The body is the file itself (${FILE_MEDIA_TYPES.join(', ')}, ...; up to 200 MB). The whole file is imported, ` +
          'or nothing is: a file that cannot be read, is for another account or currency, or whose balances do not add up answers 422 naming where (on_balance_mismatch=import imports such a file, recording the mismatch). ' +
          'Transactions already stored (from the bank feed or an earlier file) are not stored again; a file imported before answers 200 with already_imported.',
        params: Params,
        querystring: StatementUploadQuery,
        response: { 200: StatementImport, 201: StatementImport },
      },
    },
    async (request, reply) => {
      const account = await tenantAccount(database.db, request, request.params.accountId);
      const result = await upload(request, request.query, (file, options) => importStatementFile(database, account.id, file, options));
      return reply.status(result.alreadyImported ? 200 : 201).send(statementImportView(result));
    },
  );

  app.post(
    '/v1/statements',
    {
      bodyLimit: STATEMENT_BODY_LIMIT,
      config: { fileBody: FILE_MEDIA_TYPES },
      schema: {
        tags: ['statements'],
        summary: "Import a statement file into the tenant's accounts, each statement into the account of its IBAN and currency",
        description:
          'For files with statements of several accounts (a company\'s camt.053 often has one per account) or when the account is not known beforehand. ' +
          'Each statement goes to the account of its IBAN and currency (a German MT940 bank code / account number counts as its IBAN). ' +
          'An account the tenant does not have is created with create_accounts=true; without it the whole file is refused with a 422 that lists every unknown account. ' +
          'All of the file is imported, or nothing; a file that names no account (most CSV exports) goes to POST /v1/accounts/{id}/statements instead. ' +
          'Answers 201, or 200 when every account had it already.',
        querystring: TenantStatementUploadQuery,
        response: { 200: StatementFileImport, 201: StatementFileImport },
      },
    },
    async (request, reply) => {
      const result = await upload(request, request.query, (file, options) =>
        importTenantStatementFile(database, request.tenantId, file, { ...options, createAccounts: request.query.create_accounts ?? false }),
      );
      return reply.status(result.imports.every((i) => i.alreadyImported) ? 200 : 201).send(statementFileImportView(result));
    },
  );

  const previewDescription =
    'Reads the file as the import would (the same query parameters) and answers what it would import: the format, the CSV preset named or detected, ' +
    "each statement's account (the tenant's account id, or new / unknown), dates, counts per status, balances and their check, and the first 20 entries as they would be stored. " +
    'Nothing is stored and no account is locked. A file the import would refuse for what it is answers the same 422; balances that do not add up are shown (balance_ok: false), not refused. ' +
    'A read-only API key may call it.';

  app.post(
    '/v1/accounts/:accountId/statements/preview',
    {
      bodyLimit: STATEMENT_BODY_LIMIT,
      config: { fileBody: FILE_MEDIA_TYPES, changesNothing: true },
      schema: { tags: ['statements'], summary: 'What importing a statement file into the account would do, changing nothing', description: previewDescription, params: Params, querystring: StatementUploadQuery, response: { 200: StatementPreview } },
    },
    async (request) => {
      const account = await tenantAccount(database.db, request, request.params.accountId);
      const preview = await upload(request, request.query, (file, { format, csv }) => previewStatementFile(database, { account }, file, { format, csv, csvPresetName: request.query.preset }));
      return statementPreviewView(preview);
    },
  );

  app.post(
    '/v1/statements/preview',
    {
      bodyLimit: STATEMENT_BODY_LIMIT,
      config: { fileBody: FILE_MEDIA_TYPES, changesNothing: true },
      schema: { tags: ['statements'], summary: "What importing a statement file into the tenant's accounts would do, changing nothing", description: previewDescription, querystring: TenantStatementUploadQuery, response: { 200: StatementPreview } },
    },
    async (request) => {
      const destination = { tenantId: request.tenantId, createAccounts: request.query.create_accounts ?? false };
      const preview = await upload(request, request.query, (file, { format, csv }) => previewStatementFile(database, destination, file, { format, csv, csvPresetName: request.query.preset }));
      return statementPreviewView(preview);
    },
  );

  app.get(
    '/v1/accounts/:accountId/statements',
    {
      schema: {
        tags: ['statements'],
        summary: 'The statement files imported into the account, newest first',
        params: Params,
        querystring: Type.Object(PageQuery),
        response: { 200: Page(StatementImport) },
      },
    },
    async (request) => {
      const account = await tenantAccount(database.db, request, request.params.accountId);
      const { limit = 100, cursor } = request.query;
      const after = cursor ? decodeCursor(cursor, ['instant', 'uuid']) : undefined;
      const rows = await database.db
        .select()
        .from(statementImports)
        .where(and(eq(statementImports.accountId, account.id), after ? sql`(${statementImports.createdAt}, ${statementImports.id}) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined))
        .orderBy(desc(statementImports.createdAt), desc(statementImports.id))
        .limit(limit + 1);
      return page(rows, limit, (row) => statementImportView(importView(row)), (row) => [row.createdAt.toISOString(), row.id]);
    },
  );
};

/**
 * The body's chunks, refused once more than `limit` bytes arrived (a custom parser gets no body
 * limit of Fastify's). A file refused before its end leaves the rest of the body unread, and Node
 * then keeps the connection waiting for it (a server close hangs on it): `discardRest` reads it
 * to the end in the background once the answer is decided.
 */
function limitedBody(body: AsyncIterable<Uint8Array | string>, limit: number) {
  const source = body[Symbol.asyncIterator]();
  let read = 0;
  async function* chunks(): AsyncGenerator<Uint8Array | string> {
    // Not for-await: stopping early must not destroy the request stream (and its socket, and the answer with it).
    for (let next = await source.next(); !next.done; next = await source.next()) {
      read += next.value.length;
      if (read > limit) throw new HttpProblem(413, `The file is larger than ${limit / 1024 / 1024} MB.`);
      yield next.value;
    }
  }
  return {
    chunks: chunks(),
    discardRest() {
      void (async () => {
        for (let next = await source.next(); !next.done; next = await source.next());
      })().catch(() => {});
    },
  };
}
