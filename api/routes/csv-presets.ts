import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { and, eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Database } from '../../db/client.js';
import { csvPresets } from '../../db/schema.js';
import { inTransaction } from '../../db/transaction.js';
import { audit } from '../audit.js';
import { csvPresetProblems, type CsvPreset as CsvPresetValue } from '../../statements/index.js';
import { findCsvPreset, unknownPresetMessage } from '../../transactions/csv-preset-store.js';
import { HttpProblem, conflict, orNotFound } from '../problems.js';
import { CsvPreset, CsvPresetInput, csvPresetView } from '../schemas/statements.js';
import { Uuid } from '../schemas/common.js';
import { tenantScoped } from '../tenant-scope.js';


/** A preset for an upload: the tenant's own by id or name, else a built-in one by name; 400 when there is none. */
export async function resolveCsvPreset(db: Database, request: FastifyRequest, reference: string): Promise<CsvPresetValue> {
  const preset = await findCsvPreset(db, request.tenantId, reference);
  if (!preset) throw new HttpProblem(400, unknownPresetMessage(reference), { type: 'unknown-csv-preset' });
  return preset;
}

/** A tenant's saved CSV presets: how to read its banks' CSV exports. */
export const csvPresetRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { database } = app.deps;
  const { db } = database;

  app.get(
    '/v1/csv-presets',
    { schema: { tags: ['statements'], summary: "The tenant's saved CSV presets", response: { 200: Type.Object({ data: Type.Array(CsvPreset) }) } } },
    async (request) => {
      const rows = await db.select().from(csvPresets).where(tenantScoped(csvPresets, request)).orderBy(csvPresets.name);
      return { data: rows.map(csvPresetView) };
    },
  );

  app.post(
    '/v1/csv-presets',
    {
      schema: {
        tags: ['statements'],
        summary: 'Save a CSV preset',
        description: 'A preset says how to read one bank\'s CSV export; uploads name it with ?preset=<name or id>.',
        body: CsvPresetInput,
        response: { 201: CsvPreset },
      },
    },
    async (request, reply) => {
      const { name, preset } = request.body;
      const problems = csvPresetProblems(preset);
      if (problems.length > 0) {
        throw new HttpProblem(400, `The CSV preset is not valid: ${problems.join('; ')}`, {
          type: 'invalid-csv-preset',
          extensions: { errors: problems.map((problem) => ({ location: `body/preset${problem.split(':')[0]}`, message: problem })) },
        });
      }
      const row = await inTransaction(database, async (tx) => {
        const [inserted] = await tx.db.insert(csvPresets).values({ tenantId: request.tenantId, name, preset }).onConflictDoNothing().returning();
        if (inserted) await audit(tx.db, request, 'csv_preset.created', { type: 'csv_preset', id: inserted.id }, { name });
        return inserted;
      });
      if (!row) throw conflict(`There is a CSV preset named "${name}" already: delete it first, or choose another name.`, 'csv-preset-exists');
      return reply.status(201).send(csvPresetView(row));
    },
  );

  app.delete(
    '/v1/csv-presets/:presetId',
    { schema: { tags: ['statements'], summary: 'Delete a CSV preset', params: Type.Object({ presetId: Uuid }), response: { 204: Type.Null() } } },
    async (request, reply) => {
      const { presetId } = request.params;
      const row = await inTransaction(database, async (tx) => {
        const [deleted] = await tx.db.delete(csvPresets).where(and(tenantScoped(csvPresets, request, eq(csvPresets.id, presetId)))).returning({ id: csvPresets.id, name: csvPresets.name });
        if (deleted) await audit(tx.db, request, 'csv_preset.deleted', { type: 'csv_preset', id: deleted.id }, { name: deleted.name });
        return deleted;
      });
      orNotFound(row, 'CSV preset', presetId);
      return reply.status(204).send(null);
    },
  );
};
