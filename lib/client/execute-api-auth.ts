import type { GameLiftClientConfig } from '@aws-sdk/client-gamelift';

/**
 * GameLiftClient settings for calling slotfill's API Gateway with IAM authorization.
 *
 * The SDK signs with SigV4 for the service `gamelift`, but API Gateway only accepts
 * signatures for `execute-api` in the API's Region. Replacing the client's auth scheme
 * provider keeps the SDK's own SigV4 signer, credentials chain, retries and (de)serializers,
 * and changes only the two signing properties. (The client's internal `signingName` option
 * also works at runtime, but it is not part of GameLiftClientConfig's type.)
 *
 * Kept out of the CDK app: only clients, tests and docs import it.
 *
 * @param apiUrl the stack's ApiUrl output, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/
 * @param region the API's Region; derived from an execute-api hostname, required for custom domains
 */
export function executeApiClientConfig(apiUrl: string, region?: string) {
  const signingRegion = region ?? regionOfExecuteApiUrl(apiUrl);
  return {
    endpoint: apiUrl,
    // Also the client's Region, so nothing else in the SDK resolves a different one.
    region: signingRegion,
    httpAuthSchemeProvider: () => [
      {
        schemeId: 'aws.auth#sigv4',
        signingProperties: { signingName: 'execute-api', signingRegion },
        // The SDK's SigV4 signer reads its config and context from here, as the default
        // provider arranges.
        propertiesExtractor: (config, context) => ({ signingProperties: { config, context } }),
      },
    ],
  } satisfies Partial<GameLiftClientConfig>;
}

/** `abc123.execute-api.eu-west-1.amazonaws.com` → `eu-west-1`. */
export function regionOfExecuteApiUrl(apiUrl: string): string {
  const match = /^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(
    new URL(apiUrl).hostname,
  );
  if (!match) throw new Error(`${apiUrl} is not an execute-api URL: pass the API's Region explicitly`);
  return match[1]!;
}
