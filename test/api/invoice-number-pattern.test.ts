/** PATCH /v1/tenant {"invoice_number_pattern": …}: checked by matching/references, shown, cleared, audited; the other setting untouched. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { auditEvents, tenants } from '../../db/schema.js';
import { startTestApi, type TestApi, type TestTenant } from '../helpers/api.js';
import { expectProblem } from '../helpers/problem.js';

let api: TestApi;
let other: TestTenant;

beforeAll(async () => {
  api = await startTestApi();
  other = await api.addTenant('Other');
});
afterAll(() => api?.close());

const patch = (payload: unknown, headers = api.tenant.headers) => api.app.inject({ method: 'PATCH', url: '/v1/tenant', headers, payload: payload as object });
const get = (headers = api.tenant.headers) => api.app.inject({ method: 'GET', url: '/v1/tenant', headers });

test('set, shown, cleared with null; the reminder recipient stays as it was; audited by field name', async () => {
  expect((await get()).json().invoice_number_pattern).toBeNull();
  expect((await patch({ notification_email: 'books@firma.example' })).statusCode).toBe(200);
  const set = await patch({ invoice_number_pattern: 'INV-(\\d{4,8})' });
  expect(set.statusCode, set.body).toBe(200);
  expect(set.json()).toMatchObject({ invoice_number_pattern: 'INV-(\\d{4,8})', notification_email: 'books@firma.example' });
  expect((await get()).json().invoice_number_pattern).toBe('INV-(\\d{4,8})');
  expect((await get(other.headers)).json().invoice_number_pattern).toBeNull();
  // Changing the recipient leaves the pattern.
  expect((await patch({ notification_email: null })).json()).toMatchObject({ invoice_number_pattern: 'INV-(\\d{4,8})', notification_email: null });
  expect((await patch({ invoice_number_pattern: null })).json().invoice_number_pattern).toBeNull();
  const events = await api.database.db.select().from(auditEvents).where(eq(auditEvents.tenantId, api.tenant.id)).orderBy(auditEvents.occurredAt);
  expect(events.map((event) => event.details)).toEqual([
    { fields: ['notification_email'] },
    { fields: ['invoice_number_pattern'] },
    { fields: ['notification_email'] },
    { fields: ['invoice_number_pattern'] },
  ]);
});

test('a pattern refs refuses is a 422 with its reason, and changes nothing', async () => {
  await patch({ invoice_number_pattern: 'F-\\d{5}' });
  for (const [pattern, reason] of [
    ['(a+)+', /invoice number pattern/],
    ['(x)\\1', /invoice number pattern/],
    ['\\d*', /matches the empty string/],
    ['INV-(\\d*)', /group 1 that can be empty/],
    ['[', /not a valid regular expression/],
  ] as const) {
    const problem = expectProblem(await patch({ invoice_number_pattern: pattern }), 422, 'invalid-invoice-number-pattern');
    expect(problem.detail).toMatch(reason);
    expect(problem.errors).toEqual([{ location: 'body/invoice_number_pattern', message: expect.stringMatching(reason) }]);
  }
  for (const payload of [{ invoice_number_pattern: '' }, { invoice_number_pattern: 'x'.repeat(201) }, { invoice_number_pattern: 5 }]) expectProblem(await patch(payload), 400);
  const [row] = await api.database.db.select().from(tenants).where(eq(tenants.id, api.tenant.id));
  expect(row!.invoiceNumberPattern).toBe('F-\\d{5}');
});
