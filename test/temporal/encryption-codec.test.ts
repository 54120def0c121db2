import { ApplicationFailure, METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { encodeErrorToFailure, loadDataConverter } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { describe, expect, test } from 'vitest';
import { generateEncryptionKey } from '../../secrets/encryption-keys.js';
import { DecryptionError, Keyring } from '../../secrets/keyring.js';
import { encryptingDataConverter } from '../../temporal/data-converter.js';
import { ENCRYPTED_ENCODING, EncryptionCodec, KEY_ID_METADATA } from '../../temporal/encryption-codec.js';

const k1 = generateEncryptionKey('k1');
const k2 = generateEncryptionKey('k2');
const json = (value: unknown): Payload => ({
  metadata: { [METADATA_ENCODING_KEY]: Buffer.from('json/plain') },
  data: Buffer.from(JSON.stringify(value)),
});
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

describe('EncryptionCodec', () => {
  test('encodes every payload, metadata included, into ciphertext that names its key; decoding restores it', async () => {
    const codec = new EncryptionCodec(new Keyring([k1]));
    const original = [json({ token: 'secret-token' }), json(['DE89370400440532013000'])];
    const encoded = await codec.encode(original);
    for (const payload of encoded) {
      expect(text(payload.metadata![METADATA_ENCODING_KEY])).toBe(ENCRYPTED_ENCODING);
      expect(text(payload.metadata![KEY_ID_METADATA])).toBe('k1');
      expect(text(payload.data)).not.toMatch(/secret-token|DE89|json\/plain/);
    }
    const decoded = await codec.decode(encoded);
    expect(decoded.map((payload) => [text(payload.metadata![METADATA_ENCODING_KEY]), text(payload.data)])).toEqual(
      original.map((payload) => [text(payload.metadata![METADATA_ENCODING_KEY]), text(payload.data)]),
    );
  });

  test('an altered payload does not decode', async () => {
    const codec = new EncryptionCodec(new Keyring([k1]));
    const [payload] = await codec.encode([json('x')]);
    const data = Buffer.from(payload!.data!);
    data[20]! ^= 0xff;
    await expect(codec.decode([{ ...payload, data }])).rejects.toThrow(DecryptionError);
  });

  test('after rotation old payloads still decode; a keyring without their key says which one is missing', async () => {
    const [old] = await new EncryptionCodec(new Keyring([k1])).encode([json('before rotation')]);
    const rotated = new EncryptionCodec(new Keyring([k2, k1]));
    expect(text((await rotated.decode([old!]))[0]!.data)).toBe('"before rotation"');
    const [fresh] = await rotated.encode([json('after')]);
    expect(text(fresh!.metadata![KEY_ID_METADATA])).toBe('k2');
    await expect(new EncryptionCodec(new Keyring([k2])).decode([old!])).rejects.toThrow('no encryption key with id "k1"');
  });

  test('payloads that were never encrypted pass through decoding', async () => {
    const plain = json({ connectionId: 'c1' });
    expect(await new EncryptionCodec(new Keyring([k1])).decode([plain])).toEqual([plain]);
  });
});

test('the data converter moves failure messages and stacks into an encrypted payload', async () => {
  const converter = loadDataConverter(encryptingDataConverter(new Keyring([k1])));
  const failure = await encodeErrorToFailure(converter, ApplicationFailure.nonRetryable('consent of DE89370400440532013000 revoked'));
  expect(failure.message).toBe('Encoded failure');
  expect(failure.stackTrace).toBe('');
  expect(text(failure.encodedAttributes?.metadata?.[METADATA_ENCODING_KEY])).toBe(ENCRYPTED_ENCODING);
  expect(JSON.stringify(failure)).not.toContain('DE89');
});
