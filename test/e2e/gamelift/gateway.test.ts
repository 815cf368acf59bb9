import { DescribeMatchmakingConfigurationsCommand, GameLiftClient } from '@aws-sdk/client-gamelift';
import type { LocalService } from '../../../lambdas/local/service';
import { signedPost as signedRawPost } from '../../support/hostile';
import { startTestService } from '../../support/local-service';

let service: LocalService;

beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service?.stop();
});

/** Sends a SigV4-signed raw request, for the cases the SDK would never produce. */
async function signedPost(
  target: string | undefined,
  body: string,
  /** What is actually sent, when it differs from what was signed. */
  sentBody: string = body,
): Promise<{ status: number; json: unknown }> {
  const response = await signedRawPost(service, target, body, { sentBody });
  return { status: response.status, json: response.body };
}

describe('local gateway', () => {
  it('refuses a client with the wrong secret before any handler runs (403, as API Gateway IAM auth does)', async () => {
    const intruder = new GameLiftClient({
      endpoint: service.url,
      region: service.options.region,
      credentials: {
        accessKeyId: service.options.credentials.accessKeyId,
        secretAccessKey: 'not-the-secret',
      },
      maxAttempts: 1,
    });
    await expect(intruder.send(new DescribeMatchmakingConfigurationsCommand({}))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
    });
    intruder.destroy();
  });

  it('refuses a body swapped after signing (403) although the signed payload hash header is intact', async () => {
    const signedFor = '{"Limit":1}';
    expect(await signedPost('GameLift.DescribeMatchmakingConfigurations', signedFor)).toMatchObject({
      status: 200,
    });
    expect(await signedPost('GameLift.DescribeMatchmakingConfigurations', signedFor, '{"Limit":10}')).toEqual(
      {
        status: 403,
        json: { message: expect.stringMatching(/x-amz-content-sha256 header does not match/) },
      },
    );
  });

  it('answers an unknown path with 404', async () => {
    const response = await fetch(`${service.url}/no/such/route`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
  });

  it('answers an unknown or missing X-Amz-Target with UnknownOperationException', async () => {
    expect(await signedPost('GameLift.MakeCoffee', '{}')).toEqual({
      status: 400,
      json: { __type: 'UnknownOperationException', message: "Unknown operation 'GameLift.MakeCoffee'." },
    });
    expect(await signedPost(undefined, '{}')).toMatchObject({
      status: 400,
      json: { __type: 'UnknownOperationException', message: expect.stringContaining('X-Amz-Target') },
    });
  });

  it('answers a body that is not JSON with SerializationException and one that is not an object with InvalidRequestException', async () => {
    expect(await signedPost('GameLift.DescribeMatchmaking', '{"TicketIds": [')).toMatchObject({
      status: 400,
      json: { __type: 'SerializationException' },
    });
    expect(await signedPost('GameLift.DescribeMatchmaking', '[1,2]')).toMatchObject({
      status: 400,
      json: { __type: 'InvalidRequestException' },
    });
  });
});
