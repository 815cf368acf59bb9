import { isThrottlingError } from '@smithy/service-error-classification';
import { toAwsJsonError } from '../../lambdas/dialects/gamelift/errors';
import { toPlayFabError } from '../../lambdas/dialects/playfab/envelope';
import { SlotfillError } from '../../lambdas/shared/errors';

/** Contention (a race lost again and again) is answered with an error each dialect's SDKs retry. */
const busy = new SlotfillError(
  'Busy',
  "The game session's backfill changed concurrently. Retry the request.",
);

it('is a ThrottlingException in GameLift, which the AWS SDKs classify as retryable throttling', () => {
  const error = toAwsJsonError(busy);
  expect(error).toEqual({
    statusCode: 400,
    body: { __type: 'ThrottlingException', message: busy.message },
  });
  expect(
    isThrottlingError({ name: error.body.__type, $metadata: { httpStatusCode: error.statusCode } } as never),
  ).toBe(true);
});

it("is PlayFab's 429 MatchmakingRateLimitExceeded", () => {
  expect(toPlayFabError(busy, 'CreateServerBackfillTicket')).toMatchObject({
    code: 429,
    status: 'TooManyRequests',
    error: 'MatchmakingRateLimitExceeded',
    errorCode: 2054,
  });
});
