// Temporal loads a failure converter by path, with require() in clients and workers and through
// its bundler in the workflow sandbox; CommonJS is what all three load without a TypeScript loader.
// encodeCommonAttributes moves failure messages and stack traces into an encoded payload, which
// the EncryptionCodec then encrypts: otherwise Temporal keeps them in history in plain text.
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
