import { Sha256 } from '@aws-crypto/sha256-js';
import {
  DescribeMatchmakingCommand,
  GameLiftClient,
  type GameLiftClientConfig,
} from '@aws-sdk/client-gamelift';
import { SignatureV4 } from '@smithy/signature-v4';
import { executeApiClientConfig, regionOfExecuteApiUrl } from '../../lib/client/execute-api-auth';

/** The parts of the SDK's outgoing request these tests look at. */
interface RecordedRequest {
  method: string;
  protocol: string;
  hostname: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}

const apiUrl = 'https://abc123defg.execute-api.eu-west-1.amazonaws.com/';
const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

/**
 * Sends one DescribeMatchmaking through a client whose request handler records the signed
 * request and answers like the API would, so nothing touches the network.
 */
async function captureRequest(config: Partial<GameLiftClientConfig>): Promise<RecordedRequest> {
  const recorded: RecordedRequest[] = [];
  const client = new GameLiftClient({
    credentials,
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: RecordedRequest) => {
        recorded.push(request);
        return {
          response: {
            statusCode: 200,
            headers: { 'content-type': 'application/x-amz-json-1.1' },
            body: Buffer.from('{"TicketList":[]}'),
          },
        };
      },
    },
    ...config,
  });
  const output = await client.send(new DescribeMatchmakingCommand({ TicketIds: ['ticket-1'] }));
  expect(output.TicketList).toEqual([]);
  expect(recorded).toHaveLength(1);
  return recorded[0]!;
}

/** `AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/execute-api/aws4_request, ...` → scope parts. */
function credentialScope(authorization: string | undefined): string {
  const match = /Credential=[^/]+\/(\d{8}\/[^,]+),/.exec(authorization ?? '');
  if (!match) throw new Error(`Not a SigV4 Authorization header: ${authorization}`);
  return match[1]!;
}

describe('GameLiftClient signing for API Gateway IAM auth', () => {
  it('signs as service "gamelift" by default, which API Gateway would reject', async () => {
    const request = await captureRequest({ endpoint: apiUrl, region: 'eu-west-1' });
    expect(credentialScope(request.headers.authorization)).toMatch(
      /^\d{8}\/eu-west-1\/gamelift\/aws4_request$/,
    );
  });

  it('signs as execute-api in the API Region with executeApiClientConfig', async () => {
    const request = await captureRequest(executeApiClientConfig(apiUrl));
    expect(request.headers.authorization).toContain('/execute-api/aws4_request');
    expect(credentialScope(request.headers.authorization)).toMatch(
      /^\d{8}\/eu-west-1\/execute-api\/aws4_request$/,
    );
    // The request still is the AWS JSON 1.1 call the handler expects, at POST / of the API.
    expect(request.method).toBe('POST');
    expect(request.hostname).toBe('abc123defg.execute-api.eu-west-1.amazonaws.com');
    expect(request.path).toBe('/');
    expect(request.headers['x-amz-target']).toBe('GameLift.DescribeMatchmaking');
    expect(request.headers['content-type']).toBe('application/x-amz-json-1.1');
  });

  it('produces the signature an independent execute-api SigV4 signer computes', async () => {
    const request = await captureRequest(executeApiClientConfig(apiUrl));
    const amzDate = request.headers['x-amz-date']!;
    const signingDate = new Date(
      `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
    );
    const { authorization, ...unsignedHeaders } = request.headers;
    const signer = new SignatureV4({
      service: 'execute-api',
      region: 'eu-west-1',
      credentials,
      sha256: Sha256,
    });
    const expected = await signer.sign(
      { ...request, query: {}, headers: unsignedHeaders },
      { signingDate, signingService: 'execute-api', signingRegion: 'eu-west-1' },
    );
    expect(authorization).toBe(expected.headers.authorization);
  });

  it('takes the signing Region from the URL, or explicitly for a custom domain', async () => {
    expect(regionOfExecuteApiUrl(apiUrl)).toBe('eu-west-1');
    expect(() => regionOfExecuteApiUrl('https://match.example.com/')).toThrow(/Region explicitly/);
    const request = await captureRequest(
      executeApiClientConfig('https://match.example.com/', 'ap-southeast-2'),
    );
    expect(credentialScope(request.headers.authorization)).toMatch(
      /\/ap-southeast-2\/execute-api\/aws4_request$/,
    );
    expect(request.hostname).toBe('match.example.com');
  });
});
