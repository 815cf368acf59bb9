import { createHash, createHmac } from 'node:crypto';
import { verifySigV4 } from '../../lambdas/local/sigv4';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const signingTime = Date.UTC(2026, 10, 22, 2, 13, 11);
const amzDate = '20261122T021311Z';
const body = '{"Limit":3}';

/** An independent SigV4 signer written from the published algorithm, as the oracle. */
function referenceSignature(
  secret: string,
  headers: Record<string, string>,
  payload: string,
  service = 'gamelift',
): string {
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');
  const names = Object.keys(headers).sort();
  const canonicalRequest = [
    'POST',
    '/',
    '',
    ...names.map((n) => `${n}:${headers[n]}`),
    '',
    names.join(';'),
    sha(payload),
  ].join('\n');
  const scope = `20261122/us-east-1/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha(canonicalRequest)].join('\n');
  let key: Buffer = createHmac('sha256', `AWS4${secret}`).update('20261122').digest();
  for (const part of ['us-east-1', service, 'aws4_request'])
    key = createHmac('sha256', key).update(part).digest();
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

function signedHeaders(secret = 'test', accessKeyId = 'test', service = 'gamelift'): Record<string, string> {
  const headers = {
    'content-type': 'application/x-amz-json-1.1',
    host: '127.0.0.1:8080',
    'x-amz-date': amzDate,
    'x-amz-target': 'GameLift.DescribeMatchmakingConfigurations',
  };
  const signature = referenceSignature(secret, headers, body, service);
  return {
    ...headers,
    'user-agent': 'curl/8',
    authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261122/us-east-1/${service}/aws4_request, SignedHeaders=${Object.keys(headers).sort().join(';')}, Signature=${signature}`,
  };
}

const request = (headers: Record<string, string>, payload = body) => ({
  method: 'POST',
  path: '/',
  query: {},
  headers,
  body: payload,
});

describe('local SigV4 verification', () => {
  it('accepts a correctly signed request, whatever service name it was signed for', async () => {
    await expect(verifySigV4(request(signedHeaders()), credentials, signingTime)).resolves.toEqual({
      ok: true,
      accessKeyId: 'test',
    });
    await expect(
      verifySigV4(request(signedHeaders('test', 'test', 'execute-api')), credentials, signingTime),
    ).resolves.toMatchObject({ ok: true });
  });

  it('refuses a request signed with the wrong secret', async () => {
    const verdict = await verifySigV4(request(signedHeaders('wrong')), credentials, signingTime);
    expect(verdict).toEqual({
      ok: false,
      message: expect.stringMatching(/signature we calculated does not match/),
    });
  });

  it('refuses a tampered body', async () => {
    const verdict = await verifySigV4(request(signedHeaders(), '{"Limit":4}'), credentials, signingTime);
    expect(verdict.ok).toBe(false);
  });

  it('refuses an unknown access key and names it', async () => {
    const verdict = await verifySigV4(request(signedHeaders('test', 'someone')), credentials, signingTime);
    expect(verdict).toEqual({ ok: false, message: expect.stringContaining("'someone'") });
  });

  it('refuses a missing or malformed Authorization header', async () => {
    const { authorization: _removed, ...unsigned } = signedHeaders();
    expect(await verifySigV4(request(unsigned), credentials, signingTime)).toEqual({
      ok: false,
      message: expect.stringMatching(/Missing Authentication Token/),
    });
    expect(
      await verifySigV4(request({ ...unsigned, authorization: 'Bearer x' }), credentials, signingTime),
    ).toEqual({
      ok: false,
      message: expect.stringMatching(/not a valid AWS4-HMAC-SHA256/),
    });
  });

  it('refuses a signature more than 15 minutes from the server clock', async () => {
    const sixteenMinutes = 16 * 60 * 1000;
    const verdict = await verifySigV4(request(signedHeaders()), credentials, signingTime + sixteenMinutes);
    expect(verdict).toEqual({ ok: false, message: expect.stringMatching(/expired/) });
  });

  it('refuses a request missing a header it claims to have signed', async () => {
    const { 'x-amz-target': _dropped, ...headers } = signedHeaders();
    expect(await verifySigV4(request(headers), credentials, signingTime)).toEqual({
      ok: false,
      message: "Signed header 'x-amz-target' is missing from the request.",
    });
  });
});
