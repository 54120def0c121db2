import cors from '@fastify/cors';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@fastify/type-provider-typebox';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { FastifyRequest } from 'fastify';
import { DecryptionError } from '../../secrets/keyring.js';
import { hasBearerToken } from '../bearer.js';
import { publicRoutes } from '../plugins/auth.js';
import { HttpProblem } from '../problems.js';

export interface CodecRouteOptions {
  codec: PayloadCodec;
  /** Origins of the Temporal UI allowed to call from a browser. */
  corsOrigins: string[];
  /** When set, callers must send `Authorization: Bearer <token>`; when unset, only loopback clients are served. */
  token: string | undefined;
}

const Base64 = Type.String({ pattern: '^[A-Za-z0-9+/_-]*={0,2}$', description: 'base64' });
const JsonPayload = Type.Object({
  metadata: Type.Optional(Type.Record(Type.String(), Base64)),
  data: Type.Optional(Base64),
});
const Payloads = Type.Object({ payloads: Type.Array(JsonPayload, { maxItems: 10_000 }) }, { additionalProperties: false });
type JsonPayload = Static<typeof JsonPayload>;

/**
 * The codec endpoint of the Temporal UI and CLI (https://docs.temporal.io/codec-server):
 * POST /codec/decode and /codec/encode with `{ payloads: [...] }` in protobuf JSON. Registered
 * with prefix /codec, which also confines CORS (and its OPTIONS route) to it. One keyring serves
 * every namespace, so X-Namespace is accepted and not needed. Not an API-key route: whoever may
 * decode history is an operator, not a tenant.
 */
export const codecRoutes: FastifyPluginAsyncTypebox<CodecRouteOptions> = async (app, { codec, corsOrigins, token }) => {
  publicRoutes(app);
  await app.register(cors, {
    origin: corsOrigins,
    methods: ['POST'],
    allowedHeaders: ['content-type', 'x-namespace', 'authorization'],
    credentials: true,
    maxAge: 600,
    // Strict, an OPTIONS request that is not a browser's preflight gets a text/plain 400.
    strictPreflight: false,
  });
  // After CORS, so a browser's preflight (which carries no credentials) is answered first.
  app.addHook('onRequest', async (request) => checkAccess(request, token));

  const operations = [
    { operation: 'decode', transform: (payloads: Payload[]) => codec.decode(payloads) },
    { operation: 'encode', transform: (payloads: Payload[]) => codec.encode(payloads) },
  ];
  for (const { operation, transform } of operations) {
    app.post(
      `/${operation}`,
      {
        // Temporal allows payloads of up to 2 MiB, and the UI sends several at once.
        bodyLimit: 8 * 1024 * 1024,
        schema: {
          tags: ['codec'],
          summary: `${operation[0]!.toUpperCase()}${operation.slice(1)} Temporal payloads with bankfeed's encryption keys`,
          headers: Type.Object({ 'x-namespace': Type.Optional(Type.String()) }),
          body: Payloads,
          response: { 200: Payloads },
        },
      },
      async (request) => {
        try {
          return { payloads: (await transform(request.body.payloads.map(fromJson))).map(toJson) };
        } catch (error) {
          if (error instanceof DecryptionError) throw new HttpProblem(400, `A payload cannot be decrypted: ${error.message}.`);
          throw error;
        }
      },
    );
  }
};

function checkAccess(request: FastifyRequest, token: string | undefined) {
  if (token !== undefined) {
    if (!hasBearerToken(request, token))
      throw new HttpProblem(401, 'The codec endpoint needs "Authorization: Bearer <CODEC_TOKEN>".', {
        headers: { 'www-authenticate': 'Bearer realm="bankfeed-codec"' },
      });
    return;
  }
  // The TCP peer, not request.ip: a forwarded-for header must not make a remote caller look local.
  if (!isLoopback(request.socket.remoteAddress))
    throw new HttpProblem(403, 'The codec endpoint answers loopback clients only; set CODEC_TOKEN to allow others with that token.');
}

function isLoopback(address: string | undefined) {
  return address !== undefined && (address === '::1' || /^(::ffff:)?127\./.test(address));
}

function fromJson({ metadata, data }: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
    data: Buffer.from(data ?? '', 'base64'),
  };
}

function toJson({ metadata, data }: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? []).toString('base64')])),
    data: Buffer.from(data ?? []).toString('base64'),
  };
}
