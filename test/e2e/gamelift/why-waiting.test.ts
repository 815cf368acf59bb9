import {
  CreateMatchmakingConfigurationCommand,
  CreateMatchmakingRuleSetCommand,
  DescribeMatchmakingCommand,
  type GameLiftClient,
  StartMatchmakingCommand,
  StopMatchmakingCommand,
} from '@aws-sdk/client-gamelift';
import type { LocalEventEnvelope } from '../../../lambdas/local/local-event-sink';
import type { LocalService } from '../../../lambdas/local/service';
import { signedPost } from '../../support/hostile';
import { startGameLiftService, stopGameLiftService, uniqueName } from '../../support/local-service';
import { closeSkillDuel } from '../../support/rule-sets';

/** Why a ticket waits, through the APIs: the time-out event's rule report and DescribeMatchmaking's extension. */
let service: LocalService;
let client: GameLiftClient;
const seen: LocalEventEnvelope[] = [];

beforeAll(async () => {
  ({ service, client } = await startGameLiftService(seen));
});
afterAll(() => stopGameLiftService({ service, client }));

async function duelConfiguration(requestTimeoutSeconds: number): Promise<string> {
  const ruleSetName = uniqueName('duel');
  const name = uniqueName('why');
  await client.send(
    new CreateMatchmakingRuleSetCommand({
      Name: ruleSetName,
      RuleSetBody: JSON.stringify(closeSkillDuel(600)),
    }),
  );
  await client.send(
    new CreateMatchmakingConfigurationCommand({
      Name: name,
      RuleSetName: ruleSetName,
      RequestTimeoutSeconds: requestTimeoutSeconds,
      AcceptanceRequired: false,
    }),
  );
  return name;
}

async function start(configurationName: string, skill: number): Promise<string> {
  const response = await client.send(
    new StartMatchmakingCommand({
      ConfigurationName: configurationName,
      Players: [{ PlayerId: uniqueName('p'), PlayerAttributes: { skill: { N: skill } } }],
    }),
  );
  return response.MatchmakingTicket!.TicketId!;
}

/** DescribeMatchmaking as a raw signed request, optionally with slotfill's explain header. */
async function describeRaw(
  ticketIds: string[],
  explain: boolean,
): Promise<{ TicketList: Array<Record<string, unknown>> }> {
  const response = await signedPost(
    service,
    'GameLift.DescribeMatchmaking',
    JSON.stringify({ TicketIds: ticketIds }),
    {
      headers: explain ? { 'x-slotfill-explain': 'true' } : {},
    },
  );
  expect(response.status).toBe(200);
  return response.body as { TicketList: Array<Record<string, unknown>> };
}

describe('why a ticket waits, through the APIs', () => {
  it('puts the failing rule in the MatchmakingTimedOut event’s ruleEvaluationMetrics', async () => {
    const name = await duelConfiguration(1);
    const low = await start(name, 1000);
    await start(name, 1450);
    await service.runMatchmakerTick();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await service.runMatchmakerTick();
    const timedOut = seen.find((event) => {
      const detail = event.detail as { type?: string; tickets?: Array<{ ticketId: string }> };
      return detail.type === 'MatchmakingTimedOut' && detail.tickets?.[0]?.ticketId === low;
    });
    const detail = timedOut?.detail as { ruleEvaluationMetrics?: unknown } | undefined;
    expect(detail?.ruleEvaluationMetrics).toEqual([
      { ruleName: 'CloseSkill', passedCount: 0, failedCount: 1 },
    ]);
  });

  it('reports in the MatchmakingCancelled event how the rules judged the tickets waiting beside it', async () => {
    const name = await duelConfiguration(300);
    const cancelled = await start(name, 1000);
    // Far from it and from each other: a pass matches none of the three.
    await start(name, 1450);
    await start(name, 1700);
    await service.runMatchmakerTick();
    // Arrives just before the cancellation, within CloseSkill's 100 of it.
    await start(name, 1050);
    await client.send(new StopMatchmakingCommand({ TicketId: cancelled }));
    await service.runMatchmakerTick(); // publishes the outbox

    const event = seen.find((candidate) => {
      const detail = candidate.detail as { type?: string; tickets?: Array<{ ticketId: string }> };
      return detail.type === 'MatchmakingCancelled' && detail.tickets?.[0]?.ticketId === cancelled;
    });
    expect(event?.detail).toMatchObject({
      reason: 'Cancelled',
      ruleEvaluationMetrics: [{ ruleName: 'CloseSkill', passedCount: 1, failedCount: 2 }],
    });
  });

  it('answers DescribeMatchmaking with a waiting report only when asked, and the SDK still reads it', async () => {
    const name = await duelConfiguration(300);
    const low = await start(name, 1000);
    await start(name, 1450);
    await service.runMatchmakerTick();

    const plain = await describeRaw([low], false);
    expect(plain.TicketList[0]).not.toHaveProperty('SlotfillWaitingReport');

    const explained = await describeRaw([low], true);
    const report = explained.TicketList[0]?.SlotfillWaitingReport as {
      Verdict: string;
      Summary: string;
      Candidates: Array<{ FailingRules: string[]; Rules: Array<{ RuleName: string; Detail?: string }> }>;
      RuleEvaluationMetrics: unknown;
    };
    expect(report.Verdict).toBe('rules-failing');
    expect(report.Summary).toContain('CloseSkill');
    expect(report.Candidates[0]?.FailingRules).toEqual(['CloseSkill']);
    expect(report.Candidates[0]?.Rules[0]?.Detail).toContain('450');
    expect(report.RuleEvaluationMetrics).toEqual([
      { RuleName: 'CloseSkill', PassedCount: 0, FailedCount: 1 },
    ]);

    // The official SDK with the header added: the extra member does not disturb it.
    client.middlewareStack.add(
      (next) => async (args) => {
        (args.request as { headers: Record<string, string> }).headers['x-slotfill-explain'] = 'true';
        return next(args);
      },
      { step: 'build', name: 'slotfillExplain' },
    );
    try {
      const described = await client.send(new DescribeMatchmakingCommand({ TicketIds: [low] }));
      expect(described.TicketList?.[0]?.Status).toBe('SEARCHING');
    } finally {
      client.middlewareStack.remove('slotfillExplain');
    }
  });
});
