import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { inject } from 'vitest';
import { generateEncryptionKey } from '../../secrets/encryption-keys.js';
import { Keyring } from '../../secrets/keyring.js';
import { encryptingDataConverter } from '../../temporal/data-converter.js';
import { EncryptionCodec } from '../../temporal/encryption-codec.js';

export const NAMESPACE = 'default';

/**
 * Connections to the run's shared dev server, and a task queue no other test file polls. The
 * client encrypts payloads as production's does; give workers `dataConverter` to match it.
 */
export async function connectTestTemporal(address = inject('temporalAddress')) {
  const keyring = new Keyring([generateEncryptionKey('test')]);
  const dataConverter = encryptingDataConverter(keyring);
  const connection = await Connection.connect({ address });
  const workerConnection = await NativeConnection.connect({ address });
  return {
    address,
    keyring,
    dataConverter,
    codec: new EncryptionCodec(keyring),
    client: new Client({ connection, namespace: NAMESPACE, dataConverter }),
    workerConnection,
    taskQueue: `test-${randomBytes(6).toString('hex')}`,
    async close() {
      await workerConnection.close();
      await connection.close();
    },
  };
}

/**
 * A client of a Temporal server that is not there, without the SDK's retry interceptor: calls
 * fail at once with UNAVAILABLE, and no retry fires after the test has closed the connection.
 */
export function unreachableTemporalClient(): Client {
  return new Client({ connection: Connection.lazy({ address: '127.0.0.1:9', interceptors: [] }), namespace: NAMESPACE });
}
