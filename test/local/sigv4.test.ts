import { createHash, createHmac } from 'node:crypto';
import { LOCAL_SIGNING_SERVICES, verifySigV4 } from '../../lambdas/local/sigv4';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const scope = { region: 'us-east-1', services: LOCAL_SIGNING_SERVICES };
const signingTime = Date.UTC(2026, 10, 22, 2, 13, 11);
const amzDate = '20261122T021311Z';
const body = '{"Limit":3}';
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

interface Signing {
  secret?: string;
  accessKeyId?: string;
  service?: string;
  region?: string;
  /** The date in the credential scope (the key is derived for it). */
  scopeDate?: string;
  /** Headers that are signed (x-amz-date and host included unless left out here). */
  headers?: Record<string, string>;
  /** Signed headers to leave out of the defaults. */
  omit?: readonly string[];
  /** The payload as the signer saw it. */
  payload?: string;
}

/**
 * An independent SigV4 signer written from the published algorithm, as the oracle. The payload
 * hash is the x-amz-content-sha256 header when the signer sends one, else the payload's hash.
 */
function signedHeaders(signing: Signing = {}): Record<string, string> {
  const {
    secret = 'test',
    accessKeyId = 'test',
    service = 'gamelift',
    region = 'us-east-1',
    scopeDate = '20261122',
    payload = body,
  } = signing;
  const headers: Record<string, string> = Object.fromEntries(
    Object.entries({
      'content-type': 'application/x-amz-json-1.1',
      host: '127.0.0.1:8080',
      'x-amz-date': amzDate,
      'x-amz-target': 'GameLift.DescribeMatchmakingConfigurations',
      ...signing.headers,
    }).filter(([name]) => !signing.omit?.includes(name)),
  );
  const names = Object.keys(headers).sort();
  const payloadHash = headers['x-amz-content-sha256'] ?? sha(payload);
  const canonicalRequest = [
    'POST',
    '/',
    '',
    ...names.map((n) => `${n}:${headers[n]}`),
    '',
    names.join(';'),
    payloadHash,
  ].join('\n');
  const credentialScope = `${scopeDate}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, credentialScope, sha(canonicalRequest)].join('\n');
  let key: Buffer = createHmac('sha256', `AWS4${secret}`).update(scopeDate).digest();
  for (const part of [region, service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  return {
    // Unsigned transport headers, as a real client sends them.
    host: '127.0.0.1:8080',
    'user-agent': 'curl/8',
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${credentialScope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}

const request = (headers: Record<string, string>, payload = body) => ({
  method: 'POST',
  path: '/',
  query: {},
  headers,
  body: payload,
});

const verify = (headers: Record<string, string>, payload = body, nowMs = signingTime) =>
  verifySigV4(request(headers, payload), credentials, scope, nowMs);

describe('local SigV4 verification', () => {
  it('accepts a correctly signed request for gamelift (CLI, SDK) or execute-api (as API Gateway wants)', async () => {
    await expect(verify(signedHeaders())).resolves.toEqual({ ok: true, accessKeyId: 'test' });
    await expect(verify(signedHeaders({ service: 'execute-api' }))).resolves.toMatchObject({ ok: true });
  });

  it('refuses a request signed with the wrong secret', async () => {
    expect(await verify(signedHeaders({ secret: 'wrong' }))).toEqual({
      ok: false,
      message: expect.stringMatching(/signature we calculated does not match/),
    });
  });

  it('refuses a tampered body', async () => {
    expect((await verify(signedHeaders(), '{"Limit":4}')).ok).toBe(false);
  });

  it('refuses a body swapped after signing even when the signed x-amz-content-sha256 still matches the signature', async () => {
    const headers = signedHeaders({ headers: { 'x-amz-content-sha256': sha(body) } });
    await expect(verify(headers)).resolves.toMatchObject({ ok: true });
    expect(await verify(headers, '{"Limit":4}')).toEqual({
      ok: false,
      message: expect.stringMatching(/x-amz-content-sha256 header does not match/),
    });
  });

  it('refuses UNSIGNED-PAYLOAD and streaming payloads', async () => {
    for (const declared of ['UNSIGNED-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD']) {
      const headers = signedHeaders({ headers: { 'x-amz-content-sha256': declared } });
      expect(await verify(headers)).toEqual({
        ok: false,
        message: expect.stringMatching(/unsigned and streaming payloads are refused/),
      });
    }
  });

  it("refuses a credential scope for another Region, another service or another day than X-Amz-Date's", async () => {
    expect(await verify(signedHeaders({ region: 'eu-west-1' }))).toEqual({
      ok: false,
      message: expect.stringMatching(/'eu-west-1' is wrong; expecting 'us-east-1'/),
    });
    expect(await verify(signedHeaders({ service: 's3' }))).toEqual({
      ok: false,
      message: expect.stringMatching(/'s3' is wrong; expecting one of 'gamelift', 'execute-api'/),
    });
    expect(await verify(signedHeaders({ scopeDate: '20261121' }))).toEqual({
      ok: false,
      message: expect.stringMatching(/'20261121' is not the date of X-Amz-Date/),
    });
  });

  it('refuses a signature that does not cover host or x-amz-date', async () => {
    expect(await verify(signedHeaders({ omit: ['host'] }))).toEqual({
      ok: false,
      message: expect.stringMatching(/SignedHeaders must include host/),
    });
    // Without x-amz-date among the signed headers, the date travels unsigned.
    const dateUnsigned = { ...signedHeaders({ omit: ['x-amz-date'] }), 'x-amz-date': amzDate };
    expect(await verify(dateUnsigned)).toEqual({
      ok: false,
      message: expect.stringMatching(/SignedHeaders must include x-amz-date/),
    });
  });

  it('refuses an unknown access key and names it', async () => {
    expect(await verify(signedHeaders({ accessKeyId: 'someone' }))).toEqual({
      ok: false,
      message: expect.stringContaining("'someone'"),
    });
  });

  it('refuses a missing or malformed Authorization header', async () => {
    const { authorization: _removed, ...unsigned } = signedHeaders();
    expect(await verify(unsigned)).toEqual({
      ok: false,
      message: expect.stringMatching(/Missing Authentication Token/),
    });
    expect(await verify({ ...unsigned, authorization: 'Bearer x' })).toEqual({
      ok: false,
      message: expect.stringMatching(/not a valid AWS4-HMAC-SHA256/),
    });
  });

  it('refuses a signature more than 15 minutes from the server clock, either way', async () => {
    const sixteenMinutes = 16 * 60 * 1000;
    for (const nowMs of [signingTime + sixteenMinutes, signingTime - sixteenMinutes]) {
      expect(await verify(signedHeaders(), body, nowMs)).toEqual({
        ok: false,
        message: expect.stringMatching(/expired/),
      });
    }
    await expect(verify(signedHeaders(), body, signingTime + 14 * 60 * 1000)).resolves.toMatchObject({
      ok: true,
    });
  });

  it('refuses a request missing a header it claims to have signed', async () => {
    const { 'x-amz-target': _dropped, ...headers } = signedHeaders();
    expect(await verify(headers)).toEqual({
      ok: false,
      message: "Signed header 'x-amz-target' is missing from the request.",
    });
  });
});
