/** The unsubscribe HMAC key, read from Secrets Manager once per container and never logged. */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

let cached: Promise<string> | undefined;

export function unsubscribeSecret(secretArn: string): Promise<string> {
  cached ??= new SecretsManagerClient({})
    .send(new GetSecretValueCommand({ SecretId: secretArn }))
    .then((response) => {
      if (!response.SecretString) throw new Error('The unsubscribe secret has no string value.');
      return response.SecretString;
    })
    .catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
  return cached;
}
