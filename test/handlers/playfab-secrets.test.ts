import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import {
  cachedSecrets,
  DEV_TITLE_SECRET_KEY,
  EnvironmentSecretsSource,
  SecretsManagerSecretsSource,
  secretsSourceFromEnv,
} from '../../lambdas/handlers/playfab-secrets';

const arns = {
  titleSecretKey: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:title-AbCdEf',
};

describe('PlayFab secrets', () => {
  it('reads the title secret key from Secrets Manager once and caches it', async () => {
    const client = new SecretsManagerClient({ region: 'eu-west-1' });
    const secretsManager = mockClient(client);
    secretsManager
      .on(GetSecretValueCommand, { SecretId: arns.titleSecretKey })
      .resolves({ SecretString: 'title-from-aws' });
    const secrets = cachedSecrets(
      new SecretsManagerSecretsSource(arns, new SecretsProvider({ awsSdkV3Client: client })),
    );
    await expect(secrets()).resolves.toEqual({ titleSecretKey: 'title-from-aws' });
    await secrets();
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('does not cache a failed load: the next request tries again', async () => {
    const client = new SecretsManagerClient({ region: 'eu-west-1' });
    const secretsManager = mockClient(client);
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(new ResourceNotFoundException({ message: 'no such secret', $metadata: {} }))
      .resolves({ SecretString: 'value' });
    const secrets = cachedSecrets(
      new SecretsManagerSecretsSource(arns, new SecretsProvider({ awsSdkV3Client: client })),
    );
    await expect(secrets()).rejects.toThrow();
    await expect(secrets()).resolves.toEqual({ titleSecretKey: 'value' });
  });

  it('uses Secrets Manager when the stack set the ARN, else environment variables', () => {
    expect(
      secretsSourceFromEnv({ SLOTFILL_PLAYFAB_SECRET_KEY_ARN: arns.titleSecretKey }, 'eu-west-1'),
    ).toBeInstanceOf(SecretsManagerSecretsSource);
    expect(secretsSourceFromEnv({}, 'eu-west-1')).toBeInstanceOf(EnvironmentSecretsSource);
  });

  it('falls back to the development secret locally but never inside Lambda', async () => {
    await expect(new EnvironmentSecretsSource({}).load()).resolves.toMatchObject({
      titleSecretKey: DEV_TITLE_SECRET_KEY,
    });
    await expect(
      new EnvironmentSecretsSource({ AWS_LAMBDA_FUNCTION_NAME: 'PlayFabApi' }).load(),
    ).rejects.toThrow(/not configured/);
  });
});
