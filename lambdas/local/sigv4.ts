import { timingSafeEqual } from 'node:crypto';
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

export type VerificationResult = { ok: true; accessKeyId: string } | { ok: false; message: string };

/** AWS refuses signatures whose date is further than this from the server's clock. */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
const AUTHORIZATION_PATTERN =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;

export async function verifySigV4(
  request: SignedRequest,
  credentials: LocalCredentials,
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
  const [, accessKeyId, , region, service, signedHeaderList, signature] = match as unknown as string[];
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

  const signedHeaderNames = signedHeaderList!.split(';');
  const signedHeaders: Record<string, string> = {};
  for (const name of signedHeaderNames) {
    const value = headers[name];
    if (value === undefined)
      return { ok: false, message: `Signed header '${name}' is missing from the request.` };
    signedHeaders[name] = value;
  }
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

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
}
