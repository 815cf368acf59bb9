import { parseOperationInput } from '../../../lambdas/dialects/gamelift/validation-message';

/** Decisions the model alone doesn't settle: anchoring, unknown members, null, published limits. */

const player = (playerId: string, extra: Record<string, unknown> = {}) => ({ PlayerId: playerId, ...extra });
const players = (count: number, extra: Record<string, unknown> = {}) =>
  Array.from({ length: count }, (_, index) => player(`p${index}`, extra));

function rejection(operation: Parameters<typeof parseOperationInput>[0], body: unknown): string {
  const result = parseOperationInput(operation, body);
  if (result.ok) throw new Error(`expected ${operation} to reject ${JSON.stringify(body)}`);
  return result.message;
}

describe('GameLift input schemas', () => {
  describe('patterns match the whole value, as AWS validates them', () => {
    it('rejects a ticket id that merely contains a valid run', () => {
      expect(rejection('StopMatchmaking', { TicketId: 'ok!' })).toContain('regular expression pattern');
    });

    it('accepts a configuration name or its ARN, and nothing else', () => {
      const arn = 'arn:aws:gamelift:us-east-1:123456789012:matchmakingconfiguration/my-config';
      expect(parseOperationInput('DeleteMatchmakingConfiguration', { Name: 'my-config' }).ok).toBe(true);
      expect(parseOperationInput('DeleteMatchmakingConfiguration', { Name: arn }).ok).toBe(true);
      // Under Smithy's unanchored reading `^[a-zA-Z0-9-\.]*` would accept this.
      expect(rejection('DeleteMatchmakingConfiguration', { Name: 'my config' })).toContain(
        "at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern",
      );
    });

    it('accepts an SNS FIFO topic ARN', () => {
      const input = { Name: 'c', NotificationTarget: 'arn:aws:sns:us-east-1:123456789012:events.fifo' };
      expect(parseOperationInput('UpdateMatchmakingConfiguration', input).ok).toBe(true);
    });
  });

  it('drops members the model does not know, at every level', () => {
    const result = parseOperationInput('StartMatchmaking', {
      ConfigurationName: 'c',
      Players: [{ PlayerId: 'p', Surprise: 1, PlayerAttributes: { skill: { N: 3, Q: 'x' } } }],
      Extra: true,
    });
    expect(result).toEqual({
      ok: true,
      input: { ConfigurationName: 'c', Players: [{ PlayerId: 'p', PlayerAttributes: { skill: { N: 3 } } }] },
    });
  });

  it('treats null on an optional member as absent, and on a required one as missing', () => {
    const accepted = parseOperationInput('StartMatchmaking', {
      TicketId: null,
      ConfigurationName: 'c',
      Players: [player('p')],
    });
    expect(accepted.ok && accepted.input.TicketId).toBeUndefined();
    expect(rejection('StopMatchmaking', { TicketId: null })).toBe(
      "1 validation error detected: Value null at 'ticketId' failed to satisfy constraint: Member must not be null",
    );
  });

  describe('AttributeValue holds exactly one of S, N, SL, SDM', () => {
    it.each([
      ['S', { S: 'gold' }],
      ['N', { N: 12.5 }],
      ['SL', { SL: ['a', 'b'] }],
      ['SDM', { SDM: { a: 1 } }],
    ])('accepts %s alone', (_name, attribute) => {
      expect(
        parseOperationInput('StartMatchmaking', {
          ConfigurationName: 'c',
          Players: [player('p', { PlayerAttributes: { x: attribute } })],
        }).ok,
      ).toBe(true);
    });

    it.each([
      ['none', {}],
      ['two', { S: 'a', N: 1 }],
    ])('rejects %s', (_name, attribute) => {
      expect(
        rejection('StartMatchmaking', {
          ConfigurationName: 'c',
          Players: [player('p', { PlayerAttributes: { x: attribute } })],
        }),
      ).toBe(
        "1 validation error detected: Value '" +
          (Object.keys(attribute).length === 0 ? '{}' : '{S=a, N=1}') +
          "' at 'players.1.member.playerAttributes.x.member' failed to satisfy constraint: Member must have exactly one of [S, N, SL, SDM] set",
      );
    });
  });

  describe('published FlexMatch limits beyond the model', () => {
    it('StartMatchmaking takes 1 to 10 players', () => {
      expect(
        parseOperationInput('StartMatchmaking', { ConfigurationName: 'c', Players: players(10) }).ok,
      ).toBe(true);
      expect(rejection('StartMatchmaking', { ConfigurationName: 'c', Players: players(11) })).toContain(
        "at 'players' failed to satisfy constraint: Member must have length less than or equal to 10",
      );
      expect(rejection('StartMatchmaking', { ConfigurationName: 'c', Players: [] })).toContain(
        "Value '[]' at 'players' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
    });

    it('StartMatchBackfill takes up to 199 players, each with a team', () => {
      const body = (count: number) => ({ ConfigurationName: 'c', Players: players(count, { Team: 'red' }) });
      expect(parseOperationInput('StartMatchBackfill', body(199)).ok).toBe(true);
      expect(rejection('StartMatchBackfill', body(200))).toContain(
        'Member must have length less than or equal to 199',
      );
      expect(rejection('StartMatchBackfill', { ConfigurationName: 'c', Players: [player('p')] })).toBe(
        "1 validation error detected: Value null at 'players.1.member.team' failed to satisfy constraint: Member must not be null",
      );
    });

    it('DescribeMatchmaking takes up to 10 ticket ids', () => {
      const ids = (count: number) => Array.from({ length: count }, (_, index) => `t${index}`);
      expect(parseOperationInput('DescribeMatchmaking', { TicketIds: ids(10) }).ok).toBe(true);
      expect(rejection('DescribeMatchmaking', { TicketIds: ids(11) })).toContain(
        "at 'ticketIds' failed to satisfy constraint: Member must have length less than or equal to 10",
      );
    });

    it('a player has at most 10 attributes; SL at most 100 strings; SDM at most 10 entries', () => {
      const attributes = (count: number) =>
        Object.fromEntries(Array.from({ length: count }, (_, index) => [`a${index}`, { N: index }]));
      const start = (playerAttributes: unknown) => ({
        ConfigurationName: 'c',
        Players: [player('p', { PlayerAttributes: playerAttributes })],
      });
      expect(parseOperationInput('StartMatchmaking', start(attributes(10))).ok).toBe(true);
      expect(rejection('StartMatchmaking', start(attributes(11)))).toContain(
        "at 'players.1.member.playerAttributes' failed to satisfy constraint: Member must have length less than or equal to 10",
      );
      const strings = (count: number) => Array.from({ length: count }, (_, index) => `s${index}`);
      expect(parseOperationInput('StartMatchmaking', start({ x: { SL: strings(100) } })).ok).toBe(true);
      expect(rejection('StartMatchmaking', start({ x: { SL: strings(101) } }))).toContain(
        "at 'players.1.member.playerAttributes.x.member.sL' failed to satisfy constraint: Member must have length less than or equal to 100",
      );
      const map = (count: number) => Object.fromEntries(strings(count).map((key) => [key, 1]));
      expect(parseOperationInput('StartMatchmaking', start({ x: { SDM: map(10) } })).ok).toBe(true);
      expect(rejection('StartMatchmaking', start({ x: { SDM: map(11) } }))).toContain(
        "at 'players.1.member.playerAttributes.x.member.sDM' failed to satisfy constraint: Member must have length less than or equal to 10",
      );
    });

    it('the model leaves PlayerId optional, but a player needs one', () => {
      expect(rejection('StartMatchmaking', { ConfigurationName: 'c', Players: [{ Team: 'red' }] })).toBe(
        "1 validation error detected: Value null at 'players.1.member.playerId' failed to satisfy constraint: Member must not be null",
      );
    });
  });

  it('latency values must be whole milliseconds of at least 1', () => {
    const start = (latency: unknown) => ({
      ConfigurationName: 'c',
      Players: [player('p', { LatencyInMs: latency })],
    });
    expect(parseOperationInput('StartMatchmaking', start({ 'us-east-1': 40 })).ok).toBe(true);
    expect(rejection('StartMatchmaking', start({ 'us-east-1': 0.5 }))).toContain(
      "Value '{us-east-1=0.5}' at 'players.1.member.latencyInMs' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 2147483647, Member must have value greater than or equal to 1]",
    );
  });
});
