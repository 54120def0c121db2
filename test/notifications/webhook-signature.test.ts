import { createHmac } from 'node:crypto';
import { expect, test } from 'vitest';
import { newWebhookSecret, signWebhook, verifyWebhook } from '../../notifications/webhook-signature.js';

const secret = 'whsec_test-secret';
const body = '{"id":"n1","type":"consent.expiring","data":{"days_left":7}}';
const t = 1_760_000_000;

test('the header is t=<seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">, as a receiver computes it with plain crypto', () => {
  const header = signWebhook(secret, body, t);
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  expect(header).toBe(`t=${t},v1=${expected}`);
  expect(verifyWebhook(secret, body, header, { now: t + 10 })).toBe(true);
});

test('verification refuses another secret, an altered body or timestamp, an old timestamp and junk', () => {
  const header = signWebhook(secret, body, t);
  expect(verifyWebhook('whsec_other', body, header, { now: t })).toBe(false);
  expect(verifyWebhook(secret, body.replace('7', '8'), header, { now: t })).toBe(false);
  expect(verifyWebhook(secret, body, header.replace(`t=${t}`, `t=${t + 1}`), { now: t })).toBe(false);
  expect(verifyWebhook(secret, body, header, { now: t + 301 })).toBe(false);
  expect(verifyWebhook(secret, body, header, { now: t + 301, toleranceSeconds: 600 })).toBe(true);
  for (const junk of [undefined, '', 'v1=abc', `t=${t}`, `t=${t},v1=zz`, `t=x,v1=${'0'.repeat(64)}`]) expect(verifyWebhook(secret, body, junk, { now: t })).toBe(false);
});

test('any one of several v1 signatures may match (the receiver rotates secrets)', () => {
  const header = signWebhook(secret, body, t);
  const v1 = header.split('v1=')[1];
  expect(verifyWebhook(secret, body, `t=${t},v1=${'0'.repeat(64)},v1=${v1}`, { now: t })).toBe(true);
});

test('secrets are random and long', () => {
  const a = newWebhookSecret();
  expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  expect(newWebhookSecret()).not.toBe(a);
});
