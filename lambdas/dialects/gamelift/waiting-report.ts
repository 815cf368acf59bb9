import type { CandidateExplanation } from '../../engine/explain';
import type { WaitingReport } from '../../usecases/observation';

/**
 * slotfill's extension of DescribeMatchmaking: with the request header `X-Slotfill-Explain:
 * true`, each QUEUED or SEARCHING ticket carries `SlotfillWaitingReport`, why it is still
 * waiting. FlexMatch has no such field; the SDK ignores members it does not know, so the
 * response stays valid for it, and a server reads the field from the raw JSON.
 */
export const EXPLAIN_HEADER = 'x-slotfill-explain';

export function renderWaitingReport(report: WaitingReport): object {
  const { explanation } = report;
  return {
    Verdict: explanation.verdict,
    Summary: explanation.summary,
    ...(report.timesOutInSeconds === undefined ? {} : { TimesOutInSeconds: report.timesOutInSeconds }),
    EligibleTickets: explanation.eligibleTickets,
    FilterFailures: explanation.filterFailures,
    RuleEvaluationMetrics: explanation.ruleEvaluationMetrics.map((rule) => ({
      RuleName: rule.ruleName,
      PassedCount: rule.passedCount,
      FailedCount: rule.failedCount,
    })),
    Candidates: explanation.candidates.map(renderCandidate),
  };
}

function renderCandidate(candidate: CandidateExplanation): object {
  const next = candidate.nextChange;
  return {
    TicketIds: candidate.ticketIds,
    Teams: candidate.teams.map((team) => ({ Name: team.name, PlayerIds: team.playerIds })),
    Passed: candidate.passed,
    FailingRules: candidate.failingRules,
    TeamProblems: candidate.teamProblems,
    Rules: candidate.rules.map((rule) => ({
      RuleName: rule.ruleName,
      RuleType: rule.ruleType,
      Passed: rule.passed,
      Enforced: rule.enforced,
      ...(rule.detail === undefined ? {} : { Detail: rule.detail }),
    })),
    ...(next
      ? {
          NextExpansion: {
            InSeconds: next.inMs / 1000,
            Changes: next.changes.map((change) => ({ Target: change.target, Value: change.value })),
            RulesBecomingOptional: next.rulesBecomingOptional,
            Resolves: next.resolves,
            MatchWouldForm: next.matchWouldForm,
          },
        }
      : {}),
  };
}
