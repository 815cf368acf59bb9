import { createHash, timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * Local stand-in for API Gateway's IAM authorization: recomputes the caller's SigV4 signature
 * with the configured local credentials and compares. In AWS, API Gateway does this itself.
 */
export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SignedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Header names in any case. */
  headers: Record<string, string>;
  body: string;
}

/** What a signature's credential scope must name: the service's Region and a service it answers as. */
export interface SigningScope {
  region: string;
  /**
   * Service names accepted in the scope. API Gateway wants `execute-api`; the AWS CLI and the
   * GameLift SDK sign for `gamelift`, and the local service takes both (see README).
   */
  services: readonly string[];
}

export const LOCAL_SIGNING_SERVICES: readonly string[] = ['gamelift', 'execute-api'];

export type VerificationResult = { ok: true; accessKeyId: string } | { ok: false; message: string };

/** AWS refuses signatures whose date is further than this from the server's clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
/** Headers a signature must cover: without them a signed request could be replayed elsewhere or later. */
const REQUIRED_SIGNED_HEADERS = ['host', 'x-amz-date'] as const;
const CONTENT_SHA256_HEADER = 'x-amz-content-sha256';
const AUTHORIZATION_PATTERN =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;

export async function verifySigV4(
  request: SignedRequest,
  credentials: LocalCredentials,
  scope: SigningScope,
  nowMs: number,
): Promise<VerificationResult> {
  const headers = lowerCaseKeys(request.headers);
  const authorization = headers.authorization;
  if (!authorization) {
    return {
      ok: false,
      message: 'Missing Authentication Token: sign the request with AWS Signature Version 4.',
    };
  }
  const match = AUTHORIZATION_PATTERN.exec(authorization.trim());
  if (!match)
    return { ok: false, message: 'Authorization header is not a valid AWS4-HMAC-SHA256 signature.' };
  const [, accessKeyId, scopeDate, region, service, signedHeaderList, signature] =
    match as unknown as string[];
  if (accessKeyId !== credentials.accessKeyId) {
    return {
      ok: false,
      message: `The security token included in the request is invalid (unknown access key '${accessKeyId}').`,
    };
  }
  const amzDate = headers['x-amz-date'];
  const signingDate = amzDate ? parseAmzDate(amzDate) : undefined;
  if (!signingDate) return { ok: false, message: 'Missing or malformed X-Amz-Date header.' };
  if (Math.abs(nowMs - signingDate.getTime()) > MAX_CLOCK_SKEW_MS) {
    return {
      ok: false,
      message: 'Signature expired: the X-Amz-Date is more than 15 minutes from the server time.',
    };
  }

  const scopeProblem = credentialScopeProblem(
    { date: scopeDate!, region: region!, service: service! },
    amzDate!,
    scope,
  );
  if (scopeProblem) return { ok: false, message: scopeProblem };

  const signedHeaderNames = signedHeaderList!.split(';');
  const unsigned = REQUIRED_SIGNED_HEADERS.filter((name) => !signedHeaderNames.includes(name));
  if (unsigned.length > 0) {
    return {
      ok: false,
      message: `SignedHeaders must include ${unsigned.join(' and ')}: sign them so the request can't be replayed elsewhere.`,
    };
  }
  const signedHeaders: Record<string, string> = {};
  for (const name of signedHeaderNames) {
    const value = headers[name];
    if (value === undefined)
      return { ok: false, message: `Signed header '${name}' is missing from the request.` };
    signedHeaders[name] = value;
  }
  const payloadProblem = payloadHashProblem(headers[CONTENT_SHA256_HEADER], request.body);
  if (payloadProblem) return { ok: false, message: payloadProblem };
  const signer = new SignatureV4({
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    region: region!,
    service: service!,
    sha256: Sha256,
    // Only a client that signed x-amz-content-sha256 expects it; the header set comes from SignedHeaders.
    applyChecksum: false,
  });
  const expected = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: signedHeaders.host ?? 'localhost',
      path: request.path,
      query: request.query,
      headers: signedHeaders,
      body: request.body,
    },
    { signingDate, unsignableHeaders: new Set(), signableHeaders: new Set(signedHeaderNames) },
  );
  const expectedSignature =
    /Signature=([0-9a-f]{64})/.exec(String(expected.headers.authorization ?? ''))?.[1] ?? '';
  const matches =
    expectedSignature.length === signature!.length &&
    timingSafeEqual(Buffer.from(expectedSignature), Buffer.from(signature!));
  return matches
    ? { ok: true, accessKeyId: accessKeyId! }
    : {
        ok: false,
        message:
          'The request signature we calculated does not match the signature you provided. Check your AWS secret access key and signing method.',
      };
}

/**
 * The scope `<date>/<region>/<service>/aws4_request` binds a signing key to one day, Region and
 * service; a key derived for another one must not open this service.
 */
function credentialScopeProblem(
  credential: { date: string; region: string; service: string },
  amzDate: string,
  scope: SigningScope,
): string | undefined {
  if (credential.date !== amzDate.slice(0, 8)) {
    return `Credential should be scoped to a valid date: '${credential.date}' is not the date of X-Amz-Date '${amzDate}'.`;
  }
  if (credential.region !== scope.region) {
    return `Credential should be scoped to a valid region: '${credential.region}' is wrong; expecting '${scope.region}'.`;
  }
  if (!scope.services.includes(credential.service)) {
    return `Credential should be scoped to correct service: '${credential.service}' is wrong; expecting one of ${scope.services.map((name) => `'${name}'`).join(', ')}.`;
  }
  return undefined;
}

/**
 * A signed `x-amz-content-sha256` must be the hash of the body actually received: the signer
 * takes the header as the payload hash, so trusting it would let a body be swapped after
 * signing. Unsigned payloads are refused for the same reason.
 */
function payloadHashProblem(declared: string | undefined, body: string): string | undefined {
  if (declared === undefined) return undefined;
  if (!/^[0-9a-f]{64}$/.test(declared)) {
    return `x-amz-content-sha256 '${declared}' is not accepted: sign the payload (its hex SHA-256), unsigned and streaming payloads are refused.`;
  }
  const actual = createHash('sha256').update(body, 'utf8').digest('hex');
  return declared === actual
    ? undefined
    : 'The provided x-amz-content-sha256 header does not match what was computed from the body.';
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
}
