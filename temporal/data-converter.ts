import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import type { Keyring } from '../secrets/keyring.js';
import { EncryptionCodec } from './encryption-codec.js';

const failureConverterPath = fileURLToPath(new URL('./failure-converter.cjs', import.meta.url));

/**
 * The data converter of every Temporal client and worker of bankfeed: payloads encrypted, and
 * failure messages and stack traces moved into (encrypted) payloads too.
 */
export function encryptingDataConverter(keyring: Keyring): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(keyring)], failureConverterPath };
}
