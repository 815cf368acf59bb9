/**
 * Translation between FlexMatch's wire Player/AttributeValue and the engine's vocabulary.
 *
 * Round trips: engine → wire → engine is exact. wire → engine → wire is exact except that an
 * empty PlayerAttributes or LatencyInMs map and an absent one are the same thing (the engine
 * always holds a map; the wire omits an empty one).
 * Both directions copy lists and maps, so neither side can alias the other's state.
 */
import type { AttributeValue, Player } from '../../engine/model';
import type { WireAttributeValue, WirePlayer } from './schemas';

/**
 * Throws when not exactly one member is set. Parsed requests can't get here that way (the input
 * schema enforces it), so a throw means a programming error, not a client error.
 */
export function toEngineAttributeValue(wire: WireAttributeValue): AttributeValue {
  const given: AttributeValue[] = [];
  if (wire.S !== undefined) given.push({ kind: 'string', value: wire.S });
  if (wire.N !== undefined) given.push({ kind: 'number', value: wire.N });
  if (wire.SL !== undefined) given.push({ kind: 'string_list', value: [...wire.SL] });
  if (wire.SDM !== undefined) given.push({ kind: 'string_number_map', value: { ...wire.SDM } });
  if (given.length !== 1) {
    throw new Error(`AttributeValue must have exactly one of S, N, SL, SDM set; it has ${given.length}`);
  }
  return given[0]!;
}

export function toWireAttributeValue(value: AttributeValue): WireAttributeValue {
  switch (value.kind) {
    case 'string':
      return { S: value.value };
    case 'number':
      return { N: value.value };
    case 'string_list':
      return { SL: [...value.value] };
    case 'string_number_map':
      return { SDM: { ...value.value } };
  }
}

function mapValues<In, Out>(record: Record<string, In>, translate: (value: In) => Out): Record<string, Out> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, translate(value)]));
}

export function toEnginePlayer(wire: WirePlayer): Player {
  const player: Player = {
    playerId: wire.PlayerId,
    attributes: mapValues(wire.PlayerAttributes ?? {}, toEngineAttributeValue),
    latencyInMs: { ...(wire.LatencyInMs ?? {}) },
  };
  if (wire.Team !== undefined) player.team = wire.Team;
  return player;
}

export function toWirePlayer(player: Player): WirePlayer {
  const wire: WirePlayer = { PlayerId: player.playerId };
  if (Object.keys(player.attributes).length > 0) {
    wire.PlayerAttributes = mapValues(player.attributes, toWireAttributeValue);
  }
  if (player.team !== undefined) wire.Team = player.team;
  if (Object.keys(player.latencyInMs).length > 0) wire.LatencyInMs = { ...player.latencyInMs };
  return wire;
}
