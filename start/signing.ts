/*
| Signed cookies and signed URLs through KeyObjectMessageVerifier
| (app/services/message_verifier.ts): the framework's format and keys, at a
| fraction of the CPU on Node 24. The HTTP server and the `encryption`
| service share the default Encryption instance, so its verifier is swapped
| here, before the first request.
*/
import app from '@adonisjs/core/services/app'
import { APP_SECRETS } from '#config/encryption'
import { KeyObjectMessageVerifier } from '#services/message_verifier'

const encryption = await app.container.make('encryption')
const verifier = new KeyObjectMessageVerifier(APP_SECRETS)
// The framework's type names its own class; ours has the same two methods and the same output.
encryption.use().getMessageVerifier = () => verifier as any
