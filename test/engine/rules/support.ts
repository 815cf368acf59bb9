import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AttributeValue, Player } from '../../../lambdas/engine/model';
import { compileRuleSetBody } from '../../../lambdas/engine/rules';
import type { CandidateTicket, RuleCandidate } from '../../../lambdas/engine/rules/evaluate';
import type { QueueProgram } from '../../../lambdas/engine/rules/program';

export const fixturesDir = join(__dirname, '..', '..', 'fixtures', 'rulesets');

export function fixtureBody(name: string): string {
  return readFileSync(join(fixturesDir, name), 'utf8');
}

export function loadProgram(name: string, edit: (body: string) => string = (body) => body): QueueProgram {
  return compileRuleSetBody(edit(fixtureBody(name)));
}

type PlainAttribute = number | string | string[] | Record<string, number>;

function toAttributeValue(value: PlainAttribute): AttributeValue {
  if (typeof value === 'number') return { kind: 'number', value };
  if (typeof value === 'string') return { kind: 'string', value };
  if (Array.isArray(value)) return { kind: 'string_list', value };
  return { kind: 'string_number_map', value };
}

export function player(
  playerId: string,
  attributes: Record<string, PlainAttribute> = {},
  latencyInMs: Record<string, number> = {},
): Player {
  return {
    playerId,
    attributes: Object.fromEntries(
      Object.entries(attributes).map(([name, value]) => [name, toAttributeValue(value)]),
    ),
    latencyInMs,
  };
}

/** A ticket of one or more players that started waiting at startTime (epoch ms). */
export function ticket(ticketId: string, startTime: number, ...players: Player[]): CandidateTicket {
  return { ticketId, startTime, players };
}

/** Each player its own ticket, all started at the same time. */
export function solos(startTime: number, ...players: Player[]): CandidateTicket[] {
  return players.map((each) => ticket(`t-${each.playerId}`, startTime, each));
}

export function candidate(teams: Record<string, CandidateTicket[]>): RuleCandidate {
  return { teams };
}

export function skillPlayers(prefix: string, ...skills: number[]): Player[] {
  return skills.map((skill, index) => player(`${prefix}${index}`, { skill }));
}
