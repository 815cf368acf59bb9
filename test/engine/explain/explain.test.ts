import { explainTicket } from '../../../lambdas/engine/explain';
import { runMatchmakingPass } from '../../../lambdas/engine/matching';
import type { PoolTicket } from '../../../lambdas/engine/model';
import { closeSkillDuel } from '../../support/rule-sets';
import { NOW, program, skillPlayer, solo } from '../matching/support';

/** 1v1, skills within 100 of each other; from 10 s of age within 600; latency at most 150 ms. */
const duel = program(closeSkillDuel(10, [{ name: 'LowLatency', type: 'latency', maxLatency: 150 }]));

const withLatency = (ticket: PoolTicket, latency: number): PoolTicket => ({
  ...ticket,
  players: ticket.players.map((player) => ({ ...player, latencyInMs: { 'us-east-1': latency } })),
});

describe('explainTicket', () => {
  it('names the failing rule with its numbers and the expansion step that will let the match form', () => {
    const pool = [
      withLatency(solo('a', 1000, NOW - 2_000), 20),
      withLatency(solo('b', 1450, NOW - 3_000), 30),
    ];
    const explanation = explainTicket(duel, pool, 'a', NOW);
    expect(explanation.verdict).toBe('rules-failing');
    const best = explanation.candidates[0];
    expect(best?.ticketIds.sort()).toEqual(['a', 'b']);
    expect(best?.failingRules).toEqual(['CloseSkill']);
    const closeSkill = best?.rules.find((rule) => rule.ruleName === 'CloseSkill');
    expect(closeSkill).toMatchObject({ passed: false, enforced: true, ruleType: 'distance' });
    expect(closeSkill?.detail).toContain('450');
    expect(best?.rules.find((rule) => rule.ruleName === 'LowLatency')?.passed).toBe(true);
    // The newest ticket (a, 2 s) drives expansions: 8 s to go until 10 s.
    expect(best?.nextChange).toMatchObject({
      inMs: 8_000,
      atAgeMs: 10_000,
      changes: [{ target: 'rules[CloseSkill].maxDistance', value: 600 }],
      resolves: ['CloseSkill'],
      matchWouldForm: true,
    });
    expect(explanation.summary).toContain('CloseSkill');
    expect(explanation.summary).toContain('8 s');
    // The pass agrees: no match now, one once the step is reached.
    expect(runMatchmakingPass(duel, pool, NOW).matches).toHaveLength(0);
    expect(runMatchmakingPass(duel, pool, NOW + 8_000).matches).toHaveLength(1);
    expect(explainTicket(duel, pool, 'a', NOW + 8_000).verdict).toBe('match-possible');
  });

  it('says when no expansion helps', () => {
    const pool = [
      withLatency(solo('a', 1000, NOW - 2_000), 20),
      withLatency(solo('b', 2000, NOW - 3_000), 30),
    ];
    const explanation = explainTicket(duel, pool, 'a', NOW);
    expect(explanation.candidates[0]?.failingRules).toEqual(['CloseSkill']);
    expect(explanation.candidates[0]?.nextChange).toBeUndefined();
    expect(explanation.summary).toContain('No expansion step changes that');
  });

  it('reports missing players when the ticket waits alone', () => {
    const explanation = explainTicket(duel, [withLatency(solo('a', 1000, NOW - 1_000), 20)], 'a', NOW);
    expect(explanation.verdict).toBe('not-enough-players');
    expect(explanation.candidates[0]?.teamProblems.join(' ')).toMatch(/has 0 player\(s\), needs 1/);
    expect(explanation.eligibleTickets).toBe(0);
  });

  it('prefers the partner that passes the rules over an older one that does not', () => {
    const pool = [
      withLatency(solo('a', 1000, NOW - 1_000), 20),
      withLatency(solo('far', 1900, NOW - 5_000), 20),
      withLatency(solo('near', 1050, NOW - 500), 20),
    ];
    const explanation = explainTicket(duel, pool, 'a', NOW);
    expect(explanation.verdict).toBe('match-possible');
    expect(explanation.candidates[0]?.ticketIds.sort()).toEqual(['a', 'near']);
    expect(explanation.candidates[1]?.failingRules).toEqual(['CloseSkill']);
  });

  it('counts passes and failures over every candidate it evaluated', () => {
    const pool = [
      withLatency(solo('a', 1000, NOW - 1_000), 20),
      withLatency(solo('far', 1900, NOW - 5_000), 20),
      withLatency(solo('near', 1050, NOW - 500), 20),
    ];
    const metrics = explainTicket(duel, pool, 'a', NOW).ruleEvaluationMetrics;
    expect(metrics).toEqual([
      { ruleName: 'CloseSkill', passedCount: 1, failedCount: 1 },
      { ruleName: 'LowLatency', passedCount: 2, failedCount: 0 },
    ]);
  });

  it('says a ticket whose own players fail a filter can never match', () => {
    const pool = [withLatency(solo('slow', 1000, NOW - 1_000), 400), withLatency(solo('b', 1000), 20)];
    const explanation = explainTicket(duel, pool, 'slow', NOW);
    expect(explanation.verdict).toBe('filtered-out');
    expect(explanation.summary).toContain('LowLatency');
  });

  it('knows when the ticket is not in the pool', () => {
    expect(explainTicket(duel, [solo('a', 1000)], 'ghost', NOW).verdict).toBe('not-in-pool');
  });

  it('keeps a backfill ticket’s players on their teams', () => {
    const game: PoolTicket = {
      ticketId: 'game',
      kind: 'backfill',
      startTime: NOW - 1_000,
      players: [{ ...skillPlayer('seated', 1000, { 'us-east-1': 20 }, 'red') }],
      gameSessionId: 'session',
    };
    const explanation = explainTicket(duel, [game, withLatency(solo('joiner', 1020), 20)], 'game', NOW);
    expect(explanation.verdict).toBe('match-possible');
    expect(explanation.candidates[0]?.teams).toEqual([
      { name: 'red', playerIds: ['seated'] },
      { name: 'blue', playerIds: ['joiner-p'] },
    ]);
  });
});
