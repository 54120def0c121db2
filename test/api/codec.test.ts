import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApi, type TestApi } from '../helpers/api.js';
import { expectProblem } from '../helpers/problem.js';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});

afterAll(async () => {
  await api?.close();
});

const b64 = (text: string) => Buffer.from(text).toString('base64');
const jsonPayload = (value: unknown) => ({ metadata: { encoding: b64('json/plain') }, data: b64(JSON.stringify(value)) });

test('encode then decode round-trips payloads in protobuf JSON; encoded ones are encrypted', async () => {
  const payloads = [jsonPayload({ token: 'secret' }), jsonPayload([1, 2])];
  const encoded = await api.app.inject({ method: 'POST', url: '/codec/encode', headers: { 'x-namespace': 'default' }, payload: { payloads } });
  expect(encoded.statusCode).toBe(200);
  const encrypted = encoded.json().payloads as { metadata: Record<string, string>; data: string }[];
  expect(encrypted.map((payload) => Buffer.from(payload.metadata.encoding!, 'base64').toString())).toEqual(['binary/encrypted', 'binary/encrypted']);
  expect(encrypted.map((payload) => Buffer.from(payload.metadata['encryption-key-id']!, 'base64').toString())).toEqual(['test', 'test']);
  expect(Buffer.from(encrypted[0]!.data, 'base64').toString('latin1')).not.toContain('secret');

  const decoded = await api.app.inject({ method: 'POST', url: '/codec/decode', payload: { payloads: encrypted } });
  expect(decoded.json()).toEqual({ payloads });
});

describe('bad payloads are 400, never 500', () => {
  const encrypted = (data: string, keyId = 'test') => ({ metadata: { encoding: b64('binary/encrypted'), 'encryption-key-id': b64(keyId) }, data });
  test.each([
    ['ciphertext that does not authenticate', encrypted(b64('x'.repeat(64))), /does not authenticate/],
    ['ciphertext too short to hold an IV and tag', encrypted(b64('x')), /too short/],
    ['an unknown key id', encrypted(b64('x'.repeat(64)), 'retired'), /no encryption key with id "retired"/],
    ['no key id at all', { metadata: { encoding: b64('binary/encrypted') }, data: b64('x'.repeat(64)) }, /no encryption key with id ""/],
  ])('%s', async (_name, payload, detail) => {
    const response = await api.app.inject({ method: 'POST', url: '/codec/decode', payload: { payloads: [payload] } });
    expect(expectProblem(response, 400, 'bad-request').detail).toMatch(detail);
  });

  test('data that is not base64', async () => {
    const response = await api.app.inject({ method: 'POST', url: '/codec/decode', payload: { payloads: [{ data: 'not base64!' }] } });
    expect(expectProblem(response, 400, 'validation-failed').errors![0]!.location).toBe('body/payloads/0/data');
  });
});

describe('access', () => {
  const decode = (app: TestApi['app'], remoteAddress: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/codec/decode', remoteAddress, headers, payload: { payloads: [] } });

  test('without CODEC_TOKEN only loopback clients are served; a forwarded-for header does not make a remote one local', async () => {
    for (const local of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) expect((await decode(api.app, local)).statusCode, local).toBe(200);
    expectProblem(await decode(api.app, '203.0.113.9'), 403, 'forbidden');
    expectProblem(await decode(api.app, '203.0.113.9', { 'x-forwarded-for': '127.0.0.1' }), 403);
    // A tenant's API key is no way in: decoding history is for operators.
    expectProblem(await decode(api.app, '203.0.113.9', api.tenant.headers), 403);
  });

  test('with CODEC_TOKEN every client needs it, loopback ones too', async () => {
    const app = await api.build({ settings: { codecToken: 'codec-token-0123456789' } });
    for (const remote of ['127.0.0.1', '203.0.113.9']) {
      const refused = await decode(app, remote, { authorization: 'Bearer codec-token-wrong' });
      expectProblem(refused, 401, 'unauthorized');
      expect(refused.headers['www-authenticate']).toBe('Bearer realm="bankfeed-codec"');
      expectProblem(await decode(app, remote), 401);
      expect((await decode(app, remote, { authorization: 'Bearer codec-token-0123456789' })).statusCode).toBe(200);
    }
  });

  test("CORS lets the Temporal UI's origin call with X-Namespace; other origins get no CORS headers", async () => {
    const preflight = (origin: string) =>
      api.app.inject({
        method: 'OPTIONS',
        url: '/codec/decode',
        remoteAddress: '203.0.113.9',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
      });
    const allowed = await preflight('http://localhost:8233');
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers).toMatchObject({ 'access-control-allow-origin': 'http://localhost:8233', 'access-control-allow-methods': 'POST' });
    expect(allowed.headers['access-control-allow-headers']).toContain('x-namespace');
    expect((await preflight('https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();

    const call = await decode(api.app, '127.0.0.1', { origin: 'http://localhost:8233', 'x-namespace': 'default' });
    expect(call.headers['access-control-allow-origin']).toBe('http://localhost:8233');
  });

  test('an OPTIONS request that is no preflight gets no error in a foreign format', async () => {
    const response = await api.app.inject({ method: 'OPTIONS', url: '/codec/decode' });
    expect(response.statusCode).toBe(204);
  });

  test('CORS stays on the codec endpoint: the API routes answer no preflight', async () => {
    const response = await api.app.inject({ method: 'OPTIONS', url: '/v1/tenant', headers: { origin: 'http://localhost:8233', 'access-control-request-method': 'GET' } });
    expectProblem(response, 405);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});
