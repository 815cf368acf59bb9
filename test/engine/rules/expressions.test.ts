import { compileRuleSetBody, evaluatePropertyExpression } from '../../../lambdas/engine/rules';
import { parsePropertyExpression, typeOfExpression } from '../../../lambdas/engine/rules/expressions';
import { candidate, player, solos } from './support';

const program = compileRuleSetBody(
  JSON.stringify({
    ruleLanguageVersion: '1.0',
    playerAttributes: [
      { name: 'skill', type: 'number' },
      { name: 'monster-kills', type: 'number', default: 0 },
      { name: 'tags', type: 'string_list', default: [] },
      { name: 'nick', type: 'string', default: '' },
    ],
    teams: [
      { name: 'red', minPlayers: 0, maxPlayers: 4 },
      { name: 'trio', minPlayers: 0, maxPlayers: 3, quantity: 2 },
    ],
  }),
);

const match = candidate({
  red: solos(0, player('r1', { skill: 10, tags: ['a', 'b'] }), player('r2', { skill: 20, tags: ['b', 'c'] })),
  trio_1: solos(0, player('t1', { skill: 1, 'monster-kills': 4, tags: ['b'] })),
  trio_2: solos(
    0,
    player('t2', { skill: 5, tags: ['b', 'a'] }),
    player('t3', { skill: 9, tags: ['a', 'b'] }),
  ),
});

const value = (text: string) => evaluatePropertyExpression(program, text, match);

describe('parsePropertyExpression errors point at the column', () => {
  it.each([
    ['avg(teams[*].players.attributes[skill)', "at column 38: expected ']'"],
    ['teams[red].players.attributes[skill', "at column 36: expected ']'"],
    ['avg(teams[*].players.attributes[skill]', "at column 39: expected ')'"],
    [
      'mean(teams[*].players)',
      "at column 1: unknown function 'mean' (expected one of avg, min, max, median, sum, count, stddev, flatten, set_intersection or 'teams')",
    ],
    ['teams[].players', 'at column 7: expected a team name or *'],
    ['teams[red].player', "at column 12: expected 'players'"],
    ['teams[red].players[name]', 'at column 20: only [playerId] may follow .players, found [name]'],
    [
      'teams[red].players.attributes[skill] x',
      "at column 38: unexpected 'x' after the end of the expression",
    ],
    ['', "at column 1: expected a function or 'teams'"],
    ['count(5)', "at column 7: expected a function or 'teams', found '5'"],
  ])('%s', (text, message) => {
    expect(parsePropertyExpression(text)).toMatchObject({ ok: false, message });
  });

  it('allows whitespace and names with dashes', () => {
    const parsed = parsePropertyExpression(' avg ( teams [ * ] . players . attributes [ monster-kills ] ) ');
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.node).toMatchObject({
        kind: 'call',
        fn: 'avg',
        argument: { team: '*', selection: { attribute: 'monster-kills' } },
      });
    }
  });
});

describe('static types', () => {
  const typeOf = (text: string) => {
    const parsed = parsePropertyExpression(text);
    if (!parsed.ok) throw new Error(parsed.message);
    return typeOfExpression(parsed.node, program.environment);
  };

  it('gives depth by team selection: one slot 0, wildcard or quantity definition 1', () => {
    expect(typeOf('teams[red].players.attributes[skill]')).toEqual({
      ok: true,
      type: { depth: 1, leaf: 'number' },
    });
    expect(typeOf('teams[trio_2].players.attributes[skill]')).toEqual({
      ok: true,
      type: { depth: 1, leaf: 'number' },
    });
    expect(typeOf('teams[trio].players.attributes[skill]')).toEqual({
      ok: true,
      type: { depth: 2, leaf: 'number' },
    });
    expect(typeOf('avg(teams[*].players.attributes[skill])')).toEqual({
      ok: true,
      type: { depth: 1, leaf: 'number' },
    });
    expect(typeOf('teams[*].players[playerId]')).toEqual({ ok: true, type: { depth: 2, leaf: 'string' } });
  });

  it('rejects unknown names and numeric functions over non-numbers, with columns', () => {
    expect(typeOf('teams[green].players')).toEqual({
      ok: false,
      message: "at column 7: unknown team 'green'",
    });
    expect(typeOf('avg(teams[red].players.attributes[speed])')).toEqual({
      ok: false,
      message: "at column 35: unknown player attribute 'speed'",
    });
    expect(typeOf('sum(teams[red].players.attributes[nick])')).toEqual({
      ok: false,
      message: 'at column 1: sum() needs number values, got string values',
    });
    expect(typeOf('set_intersection(teams[red].players.attributes[skill])')).toMatchObject({ ok: false });
  });
});

describe('evaluation', () => {
  it('selects players and attributes per team', () => {
    expect(value('teams[red].players.attributes[skill]')).toEqual([10, 20]);
    expect(value('teams[*].players.attributes[skill]')).toEqual([[10, 20], [1], [5, 9]]);
    expect(value('teams[trio].players[playerId]')).toEqual([['t1'], ['t2', 't3']]);
  });

  it('aggregates a list of lists per sub-list', () => {
    expect(value('avg(teams[*].players.attributes[skill])')).toEqual([15, 1, 7]);
    expect(value('count(teams[*].players)')).toEqual([2, 1, 2]);
    expect(value('max(count(teams[*].players))')).toBe(2);
    expect(value('sum(teams[*].players.attributes[monster-kills])')).toEqual([0, 4, 0]);
  });

  it('flattens one level before aggregating the whole match', () => {
    expect(value('flatten(teams[*].players.attributes[skill])')).toEqual([10, 20, 1, 5, 9]);
    expect(value('avg(flatten(teams[*].players.attributes[skill]))')).toBe(9);
    expect(value('median(flatten(teams[*].players.attributes[skill]))')).toBe(9);
    expect(value('min(flatten(teams[*].players.attributes[skill]))')).toBe(1);
    expect(value('stddev(teams[red].players.attributes[skill])')).toBe(5);
    expect(value('median(teams[red].players.attributes[skill])')).toBe(15);
  });

  it('intersects string lists', () => {
    expect(value('set_intersection(flatten(teams[*].players.attributes[tags]))')).toEqual(['b']);
    expect(value('set_intersection(teams[*].players.attributes[tags])')).toEqual([['b'], ['b'], ['b', 'a']]);
  });

  it('reports a missing attribute without default', () => {
    const gap = candidate({ red: solos(0, player('x')), trio_1: [], trio_2: [] });
    expect(() => evaluatePropertyExpression(program, 'teams[red].players.attributes[skill]', gap)).toThrow(
      "player x has no 'skill' attribute and it has no default",
    );
  });

  it('gives an empty team no average, a zero sum and a zero count', () => {
    const empty = candidate({ red: [], trio_1: [], trio_2: [] });
    expect(value.length).toBe(1);
    expect(
      Number.isNaN(evaluatePropertyExpression(program, 'avg(teams[red].players.attributes[skill])', empty)),
    ).toBe(true);
    expect(evaluatePropertyExpression(program, 'sum(teams[red].players.attributes[skill])', empty)).toBe(0);
    expect(evaluatePropertyExpression(program, 'count(teams[red].players)', empty)).toBe(0);
  });
});
