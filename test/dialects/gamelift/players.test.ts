import {
  toEngineAttributeValue,
  toEnginePlayer,
  toWireAttributeValue,
  toWirePlayer,
} from '../../../lambdas/dialects/gamelift/players';
import type { WirePlayer } from '../../../lambdas/dialects/gamelift/schemas';
import { parseOperationInput } from '../../../lambdas/dialects/gamelift/validation-message';
import type { Player } from '../../../lambdas/engine/model';

const fullWirePlayer: WirePlayer = {
  PlayerId: 'player-1',
  PlayerAttributes: {
    rank: { S: 'gold' },
    skill: { N: 27.5 },
    modes: { SL: ['ffa', 'ctf'] },
    ratings: { SDM: { ffa: 1200, ctf: 980.5 } },
  },
  Team: 'red',
  LatencyInMs: { 'us-east-1': 40, 'eu-west-1': 95 },
};

const fullEnginePlayer: Player = {
  playerId: 'player-1',
  attributes: {
    rank: { kind: 'string', value: 'gold' },
    skill: { kind: 'number', value: 27.5 },
    modes: { kind: 'string_list', value: ['ffa', 'ctf'] },
    ratings: { kind: 'string_number_map', value: { ffa: 1200, ctf: 980.5 } },
  },
  latencyInMs: { 'us-east-1': 40, 'eu-west-1': 95 },
  team: 'red',
};

describe('wire ⇄ engine players', () => {
  it('translates every attribute kind, the team and latencies', () => {
    expect(toEnginePlayer(fullWirePlayer)).toEqual(fullEnginePlayer);
    expect(toWirePlayer(fullEnginePlayer)).toEqual(fullWirePlayer);
  });

  it('round-trips wire → engine → wire and engine → wire → engine', () => {
    expect(toWirePlayer(toEnginePlayer(fullWirePlayer))).toEqual(fullWirePlayer);
    expect(toEnginePlayer(toWirePlayer(fullEnginePlayer))).toEqual(fullEnginePlayer);
  });

  it('round-trips a bare player: absent maps stay absent on the wire and empty in the engine', () => {
    const bare: WirePlayer = { PlayerId: 'p' };
    const engine = toEnginePlayer(bare);
    expect(engine).toEqual({ playerId: 'p', attributes: {}, latencyInMs: {} });
    expect('team' in engine).toBe(false);
    expect(toWirePlayer(engine)).toEqual(bare);
    expect(Object.keys(toWirePlayer(engine))).toEqual(['PlayerId']);
  });

  it('round-trips a player parsed from a StartMatchmaking request', () => {
    const parsed = parseOperationInput('StartMatchmaking', {
      ConfigurationName: 'c',
      Players: [fullWirePlayer],
    });
    if (!parsed.ok) throw new Error(parsed.message);
    expect(toWirePlayer(toEnginePlayer(parsed.input.Players[0]!))).toEqual(fullWirePlayer);
  });

  it('keeps zero, empty string lists and empty maps as values, not as absence', () => {
    for (const wire of [{ N: 0 }, { SL: [] }, { SDM: {} }]) {
      expect(toWireAttributeValue(toEngineAttributeValue(wire))).toEqual(wire);
    }
  });

  it('copies lists and maps, so neither side aliases the other', () => {
    const engine = toEnginePlayer(fullWirePlayer);
    const modes = engine.attributes.modes;
    if (modes?.kind !== 'string_list') throw new Error('expected a string list');
    modes.value.push('tdm');
    engine.latencyInMs['ap-south-1'] = 10;
    expect(fullWirePlayer.PlayerAttributes?.modes?.SL).toEqual(['ffa', 'ctf']);
    expect(fullWirePlayer.LatencyInMs).not.toHaveProperty('ap-south-1');
  });

  it.each([
    ['no member', {}],
    ['two members', { S: 'a', N: 1 }],
  ])('refuses an AttributeValue with %s', (_case, wire) => {
    expect(() => toEngineAttributeValue(wire)).toThrow('exactly one of S, N, SL, SDM');
  });
});
