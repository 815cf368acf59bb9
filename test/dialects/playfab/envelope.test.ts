import {
  parseRequest,
  playFabError,
  playFabSuccess,
  toPlayFabError,
} from '../../../lambdas/dialects/playfab/envelope';
import { QueueConfigInvalidError } from '../../../lambdas/engine/queues/compile';
import { conflict, failure, invalidRequest, notFound, SlotfillError } from '../../../lambdas/shared/errors';

describe('PlayFab envelope', () => {
  it('wraps results as {code:200, status:OK, data}', () => {
    expect(playFabSuccess({ TicketId: 't' })).toEqual({ code: 200, status: 'OK', data: { TicketId: 't' } });
  });

  it('builds errors with the spec code and an HTTP status', () => {
    expect(playFabError('MatchmakingRateLimitExceeded', 'Slow down.')).toEqual({
      code: 429,
      status: 'TooManyRequests',
      error: 'MatchmakingRateLimitExceeded',
      errorCode: 2054,
      errorMessage: 'Slow down.',
    });
  });
});

describe('parseRequest', () => {
  it('accepts a valid request and drops unknown members', () => {
    const parsed = parseRequest('CancelMatchmakingTicket', { QueueName: 'q1', TicketId: 't', Unknown: 1 });
    expect(parsed).toEqual({ ok: true, request: { QueueName: 'q1', TicketId: 't' } });
  });

  it('reports every bad field as InvalidParams with errorDetails {field: [what to fix]}', () => {
    const parsed = parseRequest('CreateMatchmakingTicket', {
      Creator: { Entity: { Id: 7 } },
      GiveUpAfterSeconds: 0,
      QueueName: 'bad name',
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error).toEqual({
      code: 400,
      status: 'BadRequest',
      error: 'InvalidParams',
      errorCode: 1000,
      errorMessage: 'Invalid input parameters',
      errorDetails: {
        'Creator.Entity.Id': ['The field Id must be a string.'],
        GiveUpAfterSeconds: ['The field GiveUpAfterSeconds must be at least 1.'],
        QueueName: [
          "The field QueueName must be 1 to 64 characters of letters, digits, '_' and '-', starting with a letter or digit.",
        ],
      },
    });
  });

  it('says which required field is missing, with indexes in the path', () => {
    const parsed = parseRequest('CreateServerBackfillTicket', {
      GiveUpAfterSeconds: 60,
      QueueName: 'q',
      Members: [{ Entity: { Id: 'a' } }, { TeamId: 'red' }],
    });
    expect(parsed.ok ? undefined : parsed.error.errorDetails).toEqual({
      'Members[1].Entity': ['The Entity field is required.'],
    });
  });

  it('rejects a body that is not an object', () => {
    const parsed = parseRequest('GetMatch', []);
    expect(parsed.ok ? undefined : parsed.error.errorMessage).toBe('The request body must be a JSON object');
  });
});

describe('toPlayFabError', () => {
  it.each<[string, unknown, Parameters<typeof toPlayFabError>[1], string, number, number]>([
    [
      'a reason',
      failure('Conflict', 'AlreadyJoined', 'Already joined.'),
      'JoinMatchmakingTicket',
      'MatchmakingAlreadyJoinedTicket',
      2028,
      400,
    ],
    [
      'a server-only refusal of queue administration',
      failure('Unauthorized', 'ServerOnly', 'Servers only.'),
      'SetMatchmakingQueue',
      'NotAuthorized',
      1089,
      403,
    ],
    [
      'a server-only refusal of a ticket call',
      failure('Unauthorized', 'ServerOnly', 'Servers only.'),
      'CreateServerBackfillTicket',
      'MatchmakingUnauthorized',
      2056,
      403,
    ],
    [
      'a matched ticket',
      failure('Conflict', 'AlreadyCompleted', 'Already matched.'),
      'CancelMatchmakingTicket',
      'MatchmakingTicketAlreadyCompleted',
      2029,
      400,
    ],
    [
      'a queue not found',
      notFound('No queue q.', { resource: 'configuration' }),
      'CreateMatchmakingTicket',
      'MatchmakingQueueNotFound',
      2016,
      404,
    ],
    [
      'a ticket not found',
      notFound('No ticket.'),
      'GetMatchmakingTicket',
      'MatchmakingTicketNotFound',
      2018,
      404,
    ],
    [
      'a match not found',
      notFound('No match.', { resource: 'match' }),
      'GetMatch',
      'MatchmakingMatchNotFound',
      2017,
      404,
    ],
    ['an invalid request', invalidRequest('Bad.'), 'GetMatch', 'InvalidParams', 1000, 400],
    [
      'a bad queue config',
      invalidRequest('Bad queue.'),
      'SetMatchmakingQueue',
      'MatchmakingQueueConfigInvalid',
      2031,
      400,
    ],
    [
      'unauthorized',
      new SlotfillError('Unauthorized', 'Not yours.'),
      'CancelServerBackfillTicket',
      'MatchmakingUnauthorized',
      2056,
      403,
    ],
    [
      'a conflict without a reason',
      conflict('x'),
      'CancelMatchmakingTicket',
      'MatchmakingTicketAlreadyCompleted',
      2029,
      400,
    ],
    ['a non-slotfill error', new Error('boom'), undefined, 'InternalServerError', 1110, 500],
  ])('maps %s', (_title, error, operation, name, code, status) => {
    const body = toPlayFabError(error, operation);
    expect([body.error, body.errorCode, body.code]).toEqual([name, code, status]);
  });

  it('hides internals of unexpected errors', () => {
    expect(toPlayFabError(new Error('secret stack')).errorMessage).not.toMatch(/secret/);
  });

  it('lists the users of a membership-limit error in errorDetails', () => {
    const error = failure(
      'LimitExceeded',
      'MembershipLimit',
      'Players already have an active backfill ticket.',
      {
        holders: [
          { playerId: 'p1', ticketId: 't1' },
          { playerId: 'p2', ticketId: 't1' },
        ],
        entityTypes: { p2: 'title_player_account' },
        ticketKind: 'backfill',
      },
    );
    expect(toPlayFabError(error, 'CreateServerBackfillTicket')).toEqual({
      code: 400,
      status: 'BadRequest',
      error: 'MatchmakingTicketMembershipLimitExceeded',
      errorCode: 2055,
      errorMessage: expect.stringMatching(/^User\(s\) p1, p2 already belong to an active backfill ticket/),
      errorDetails: {
        UsersExceedingMembershipLimit: [{ Id: 'p1' }, { Id: 'p2', Type: 'title_player_account' }],
      },
    });
  });

  it('reports a queue config problem per path', () => {
    const body = toPlayFabError(
      new QueueConfigInvalidError([
        { path: 'MatchmakingQueue.MinMatchSize', message: 'must not exceed MaxMatchSize (2)' },
      ]),
      'SetMatchmakingQueue',
    );
    expect(body).toMatchObject({
      error: 'MatchmakingQueueConfigInvalid',
      errorCode: 2031,
      errorDetails: { 'MatchmakingQueue.MinMatchSize': ['must not exceed MaxMatchSize (2)'] },
    });
  });
});
