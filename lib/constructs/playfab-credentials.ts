import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { SECRET_ENV } from '../../lambdas/handlers/playfab-secrets';

/**
 * The PlayFab dialect's secret, in Secrets Manager: the title secret key game servers send
 * (X-SecretKey). Generated at deploy time, never in the template, read by the PlayFab function
 * at cold start (it gets the ARN in SLOTFILL_PLAYFAB_SECRET_KEY_ARN and read access to exactly
 * this secret). Player tokens need no secret: API Gateway checks them with the issuer's public keys.
 */
export class PlayFabCredentials extends Construct {
  readonly titleSecretKey: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const generated = (construct: string, description: string) => {
      const secret = new Secret(this, construct, {
        description,
        // Letters and digits only, so the key travels in an HTTP header unescaped.
        generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
        // Losing the title key would lock every game server out; keep it with the data.
        removalPolicy: RemovalPolicy.RETAIN,
      });
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'Rotating this key needs the game servers to take the new value at the same time, which a rotation Lambda cannot coordinate; operators rotate it with put-secret-value as documented in lib/README-deploy.md.',
      });
      return secret;
    };
    this.titleSecretKey = generated(
      'TitleSecretKey',
      'slotfill PlayFab dialect: title secret key that game servers send in X-SecretKey',
    );
  }

  /** Lets the function read the secret and tells it where it is. */
  grantTo(fn: IFunction & { addEnvironment(key: string, value: string): unknown }): void {
    this.titleSecretKey.grantRead(fn);
    fn.addEnvironment(SECRET_ENV.titleSecretKeyArn, this.titleSecretKey.secretArn);
  }
}
