import { z } from 'zod';
import { operationInputSchemas } from '../../../lambdas/dialects/gamelift/schemas';
import {
  formatValidationError,
  NOT_AN_OBJECT_MESSAGE,
  parseOperationInput,
  printValue,
} from '../../../lambdas/dialects/gamelift/validation-message';

function messageFor(operation: Parameters<typeof parseOperationInput>[0], body: unknown): string {
  const result = parseOperationInput(operation, body);
  if (result.ok) throw new Error('expected a rejection');
  return result.message;
}

describe('AWS-style validation messages', () => {
  it('words a single pattern failure as AWS does, printing the pattern without the added anchors', () => {
    expect(messageFor('StopMatchmaking', { TicketId: 'abc!' })).toBe(
      "1 validation error detected: Value 'abc!' at 'ticketId' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: [a-zA-Z0-9-\\.]*',
    );
  });

  it('counts and joins several errors with "; "', () => {
    const message = messageFor('CreateMatchmakingConfiguration', {
      Name: 'n',
      RequestTimeoutSeconds: 43201,
      AcceptanceRequired: true,
      RuleSetName: 'r',
      BackfillMode: 'SOMETIMES',
    });
    expect(message).toBe(
      '2 validation errors detected: ' +
        "Value '43201' at 'requestTimeoutSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200; " +
        "Value 'SOMETIMES' at 'backfillMode' failed to satisfy constraint: Member must satisfy enum value set: [AUTOMATIC, MANUAL]",
    );
  });

  it('says "Value null" and "must not be null" for a missing required member', () => {
    expect(messageFor('AcceptMatch', { TicketId: 't', PlayerIds: ['p'] })).toBe(
      "1 validation error detected: Value null at 'acceptanceType' failed to satisfy constraint: Member must not be null",
    );
  });

  it('words length failures both ways', () => {
    expect(messageFor('StopMatchmaking', { TicketId: 'a'.repeat(129) })).toContain(
      'failed to satisfy constraint: Member must have length less than or equal to 128',
    );
    expect(messageFor('ValidateMatchmakingRuleSet', { RuleSetBody: '' })).toBe(
      "1 validation error detected: Value '' at 'ruleSetBody' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it('prints list paths 1-based with .member, in lowerCamelCase', () => {
    const message = messageFor('CreateMatchmakingRuleSet', {
      Name: 'n',
      RuleSetBody: '{}',
      Tags: [
        { Key: 'a', Value: 'b' },
        { Key: '', Value: 'b' },
      ],
    });
    expect(message).toBe(
      "1 validation error detected: Value '' at 'tags.2.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it('never prints the value of a sensitive member', () => {
    const message = messageFor('StartMatchmaking', {
      ConfigurationName: 'c',
      Players: [{ PlayerId: 'x'.repeat(1025) }],
    });
    expect(message).toBe(
      "1 validation error detected: Value at 'players.1.member.playerId' failed to satisfy constraint: Member must have length less than or equal to 1024",
    );
    expect(
      messageFor('AcceptMatch', { TicketId: 't', PlayerIds: ['secret', ''], AcceptanceType: 'ACCEPT' }),
    ).not.toContain('secret');
  });

  it('reports a bad list element once, at the list, listing the element constraints', () => {
    expect(messageFor('DescribeMatchmaking', { TicketIds: ['good', 'bad!', 'worse!'] })).toBe(
      "1 validation error detected: Value '[good, bad!, worse!]' at 'ticketIds' failed to satisfy constraint: " +
        'Member must satisfy constraint: [Member must have length less than or equal to 128, ' +
        'Member must have length greater than or equal to 0, Member must satisfy regular expression pattern: [a-zA-Z0-9-\\.]*]',
    );
  });

  it('reports map keys and map values once each, at the map', () => {
    const message = messageFor('StartMatchmaking', {
      ConfigurationName: 'c',
      Players: [{ PlayerId: 'p', LatencyInMs: { '': 0, 'us-east-1': -1 } }],
    });
    expect(message).toBe(
      '2 validation errors detected: ' +
        "Value '{=0, us-east-1=-1}' at 'players.1.member.latencyInMs' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1]; " +
        "Value '{=0, us-east-1=-1}' at 'players.1.member.latencyInMs' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 2147483647, Member must have value greater than or equal to 1]",
    );
  });

  it('prints a map entry holding a structure as <key>.member', () => {
    expect(
      messageFor('StartMatchmaking', {
        ConfigurationName: 'c',
        Players: [{ PlayerId: 'p', PlayerAttributes: { skill: { S: '' } } }],
      }),
    ).toBe(
      "1 validation error detected: Value '' at 'players.1.member.playerAttributes.skill.member.s' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it('names the expected type when a value has the wrong JSON type', () => {
    expect(messageFor('DescribeMatchmakingRuleSets', { Limit: '5' })).toBe(
      "1 validation error detected: Value '5' at 'limit' failed to satisfy constraint: Member must be of type integer",
    );
    expect(messageFor('DescribeMatchmakingRuleSets', { Limit: 2.5 })).toContain(
      'Member must be of type integer',
    );
    expect(messageFor('StartMatchmaking', { ConfigurationName: 'c', Players: {} })).toContain(
      "at 'players' failed to satisfy constraint: Member must be of type list",
    );
  });

  it.each([null, [], 'text', 42, true])('refuses a body that is not a JSON object: %p', (body) => {
    expect(parseOperationInput('StopMatchmaking', body)).toEqual({
      ok: false,
      message: NOT_AN_OBJECT_MESSAGE,
    });
  });

  it('formats a ZodError parsed without reportInput without inventing a value', () => {
    const result = operationInputSchemas.StopMatchmaking.safeParse({ TicketId: 'abc!' });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(formatValidationError(result.error)).toBe(
      "1 validation error detected: Value at 'ticketId' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-\\.]*",
    );
  });

  it('formats a root-level issue without a path', () => {
    const result = z.object({}).safeParse(5, { reportInput: true });
    if (result.success) throw new Error('expected a failure');
    expect(formatValidationError(result.error)).toMatch(
      /^1 validation error detected: Value '5' failed to satisfy constraint: /,
    );
  });

  it('prints values the way Java does', () => {
    expect(printValue(['a', 1, null])).toBe('[a, 1, null]');
    expect(printValue({ a: 1, b: ['x'], c: undefined })).toBe('{a=1, b=[x]}');
    expect(printValue(true)).toBe('true');
  });
});
