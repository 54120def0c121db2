import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../db/client.js';
import { startTestApi, type TestApi } from '../helpers/api.js';
import { unreachableTemporalClient } from '../helpers/temporal.js';

let api: TestApi;
let closedDatabase: DatabaseHandle;

beforeAll(async () => {
  api = await startTestApi();
  closedDatabase = await openDatabase({});
  await closedDatabase.close();
});

afterAll(async () => {
  await api?.close();
});

test('GET /health answers 200 while the process runs, whatever its dependencies do', async () => {
  const nowhere = unreachableTemporalClient();
  const app = await api.build({ deps: { database: closedDatabase, temporal: nowhere } });
  const response = await app.inject({ method: 'GET', url: '/health' });
  expect(response.statusCode).toBe(200);
  expect(response.json()).toEqual({ status: 'up' });
  await nowhere.connection.close();
});

describe('GET /ready', () => {
  const url = '/ready';
  test('answers 200 when the database and Temporal answer, without an API key', async () => {
    const response = await api.app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'up', checks: { database: { status: 'up' }, temporal: { status: 'up' } } });
  });

  test('answers 503 naming the database when it is down', async () => {
    const app = await api.build({ deps: { database: closedDatabase } });
    const response = await app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: 'down', checks: { database: { status: 'down' }, temporal: { status: 'up' } } });
  });

  test('answers 503 naming Temporal when it is unreachable', async () => {
    const nowhere = unreachableTemporalClient();
    const app = await api.build({ deps: { temporal: nowhere } });
    const response = await app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: 'down', checks: { database: { status: 'up' }, temporal: { status: 'down', error: expect.any(String) } } });
    await nowhere.connection.close();
  });
});
