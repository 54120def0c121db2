import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { Keyring } from '../secrets/keyring.js';

const { Payload: PayloadMessage } = proto.temporal.api.common.v1;

/** The metadata of an encrypted payload: its encoding and the id of the key that sealed it. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

/**
 * Encrypts every payload Temporal stores (workflow and activity inputs and results, signals,
 * queries, memos, encoded failures) with AES-256-GCM: the whole original payload, metadata
 * included, becomes the ciphertext, and the key id travels in the clear so a rotated keyring
 * can still find the key. Payloads that are not encrypted pass through decoding unchanged.
 */
export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keyring: Keyring) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const { keyId, sealed } = this.keyring.seal(PayloadMessage.encode(payload).finish());
      return {
        metadata: { [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from(keyId) },
        data: sealed,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (metadataText(payload, METADATA_ENCODING_KEY) !== ENCRYPTED_ENCODING) return payload;
      const keyId = metadataText(payload, KEY_ID_METADATA) ?? '';
      return PayloadMessage.decode(this.keyring.open(keyId, payload.data ?? new Uint8Array()));
    });
  }
}

function metadataText(payload: Payload, key: string): string | undefined {
  const value = payload.metadata?.[key];
  return value ? Buffer.from(value).toString('utf8') : undefined;
}
