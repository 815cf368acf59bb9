import { Sha256 } from '@aws-crypto/sha256-js';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { SignatureV4 } from '@smithy/signature-v4';
import type { LocalService } from '../../lambdas/local/service';
import { createDynamoClient } from '../../lambdas/shared/clients';

/**
 * Tools for sending requests no well-behaved client would, and for proving a refused request
 * changed nothing: a raw SigV4-signed AWS JSON 1.1 call and a full scan of the service's table.
 */

export interface RawResponse {
  status: number;
  /** The parsed JSON body, or the text when it is not JSON. */
  body: unknown;
  contentType: string | null;
}

/** POST / with `X-Amz-Target: GameLift.<operation>`, signed like the SDK signs, body sent as given. */
export function signedGameLiftCall(
  service: LocalService,
  operation: string,
  body: string,
): Promise<RawResponse> {
  return signedPost(service, `GameLift.${operation}`, body);
}

/** A SigV4-signed raw POST / with any (or no) X-Amz-Target, for requests the SDK would never send. */
export async function signedPost(
  service: LocalService,
  target: string | undefined,
  body: string,
  options: {
    /** What is actually sent, when it differs from what was signed. */
    sentBody?: string;
    /** Extra headers, signed with the rest (e.g. slotfill's x-slotfill-explain). */
    headers?: Record<string, string>;
  } = {},
): Promise<RawResponse> {
  const url = new URL(service.url);
  const signer = new SignatureV4({
    credentials: service.options.credentials,
    region: service.options.region,
    service: 'gamelift',
    sha256: Sha256,
    // Sends x-amz-content-sha256, the header a body swapped after signing would keep.
    applyChecksum: true,
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    query: {},
    headers: {
      host: url.host,
      'content-type': 'application/x-amz-json-1.1',
      ...(target ? { 'x-amz-target': target } : {}),
      ...options.headers,
    },
    body,
  });
  const response = await fetch(`${service.url}/`, {
    method: 'POST',
    headers: signed.headers,
    body: options.sentBody ?? body,
  });
  return readResponse(response);
}

export async function readResponse(response: Response): Promise<RawResponse> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text, which the shape checks then refuse
  }
  return { status: response.status, body, contentType: response.headers.get('content-type') };
}

/**
 * Every item of the service's table, as sorted JSON lines: two snapshots are equal exactly
 * when no item was written, changed or deleted in between.
 */
export async function tableSnapshot(service: LocalService): Promise<string[]> {
  const snapshots = tableSnapshots(service);
  try {
    return await snapshots.take();
  } finally {
    snapshots.close();
  }
}

/** Snapshots over one kept connection, for suites that take one per request. */
export function tableSnapshots(service: LocalService): { take(): Promise<string[]>; close(): void } {
  const client = createDynamoClient({
    dynamoDbEndpoint: service.dynamoDbEndpoint,
    region: service.options.region,
  });
  return {
    async take() {
      const lines: string[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: service.options.tableName,
            ConsistentRead: true,
            ExclusiveStartKey: startKey as never,
          }),
        );
        for (const item of page.Items ?? []) lines.push(canonicalJson(item));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return lines.sort();
    },
    close: () => client.destroy(),
  };
}

/** JSON with every object's keys sorted, so equal items print equal. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What a GameLift error body must look like: AWS JSON 1.1's `__type` and `message`. */
export function gameLiftErrorShapeProblems(response: RawResponse): string[] {
  const problems: string[] = [];
  if (response.contentType !== 'application/x-amz-json-1.1')
    problems.push(`content-type ${response.contentType}`);
  const body = response.body as Record<string, unknown> | null;
  if (typeof body !== 'object' || body === null) return [...problems, 'body is not a JSON object'];
  if (typeof body.__type !== 'string' || body.__type === '') problems.push('__type missing');
  if (typeof body.message !== 'string' || body.message === '') problems.push('message missing');
  return problems;
}

/** What a PlayFab error envelope must look like (the spec's error fields, code = HTTP status). */
export function playFabErrorShapeProblems(response: RawResponse): string[] {
  const body = response.body as Record<string, unknown> | null;
  if (typeof body !== 'object' || body === null) return ['body is not a JSON object'];
  const problems: string[] = [];
  if (body.code !== response.status) problems.push(`code ${String(body.code)} ≠ status ${response.status}`);
  if (typeof body.status !== 'string') problems.push('status missing');
  if (typeof body.error !== 'string') problems.push('error missing');
  if (typeof body.errorCode !== 'number') problems.push('errorCode missing');
  if (typeof body.errorMessage !== 'string' || body.errorMessage === '')
    problems.push('errorMessage missing');
  return problems;
}
