import {
  CreateMatchmakingConfigurationCommand,
  CreateMatchmakingRuleSetCommand,
  DeleteMatchmakingConfigurationCommand,
  DeleteMatchmakingRuleSetCommand,
  DescribeMatchmakingCommand,
  DescribeMatchmakingConfigurationsCommand,
  DescribeMatchmakingRuleSetsCommand,
  type GameLiftClient,
  InvalidRequestException,
  NotFoundException,
  StartMatchmakingCommand,
  StopMatchmakingCommand,
  UpdateMatchmakingConfigurationCommand,
  ValidateMatchmakingRuleSetCommand,
} from '@aws-sdk/client-gamelift';
import type { LocalService } from '../../../lambdas/local/service';
import { gameLiftClient, startTestService, uniqueName } from '../../support/local-service';
import { twoVersusTwoSkill } from '../../support/rule-sets';

const ruleSetBody = twoVersusTwoSkill;

let service: LocalService;
let client: GameLiftClient;

beforeAll(async () => {
  service = await startTestService();
  client = gameLiftClient(service);
});
afterAll(async () => {
  client?.destroy();
  await service?.stop();
});

async function createRuleSetAndConfiguration(overrides: { requestTimeoutSeconds?: number } = {}) {
  const ruleSetName = uniqueName('rules');
  const configurationName = uniqueName('config');
  await client.send(new CreateMatchmakingRuleSetCommand({ Name: ruleSetName, RuleSetBody: ruleSetBody }));
  const created = await client.send(
    new CreateMatchmakingConfigurationCommand({
      Name: configurationName,
      RuleSetName: ruleSetName,
      RequestTimeoutSeconds: overrides.requestTimeoutSeconds ?? 120,
      AcceptanceRequired: false,
      CustomEventData: 'arena',
      GameProperties: [{ Key: 'mode', Value: 'ranked' }],
    }),
  );
  return { ruleSetName, configurationName, configuration: created.Configuration! };
}

describe('rule sets through the official SDK', () => {
  it('creates, describes by name and by page, and deletes a rule set', async () => {
    const name = uniqueName('rules');
    const created = await client.send(
      new CreateMatchmakingRuleSetCommand({ Name: name, RuleSetBody: ruleSetBody }),
    );
    expect(created.RuleSet?.RuleSetName).toBe(name);
    expect(created.RuleSet?.RuleSetArn).toBe(
      `arn:aws:gamelift:us-east-1:000000000000:matchmakingruleset/${name}`,
    );
    expect(created.RuleSet?.RuleSetBody).toBe(ruleSetBody);
    expect(created.RuleSet?.CreationTime).toBeInstanceOf(Date);
    expect(Math.abs(created.RuleSet!.CreationTime!.getTime() - Date.now())).toBeLessThan(60_000);

    const byName = await client.send(new DescribeMatchmakingRuleSetsCommand({ Names: [name] }));
    expect(byName.RuleSets?.map((r) => r.RuleSetName)).toEqual([name]);

    const byArn = await client.send(
      new DescribeMatchmakingRuleSetsCommand({ Names: [created.RuleSet!.RuleSetArn!] }),
    );
    expect(byArn.RuleSets?.[0]?.RuleSetName).toBe(name);

    await client.send(new DeleteMatchmakingRuleSetCommand({ Name: name }));
    await expect(
      client.send(new DescribeMatchmakingRuleSetsCommand({ Names: [name] })),
    ).rejects.toBeInstanceOf(NotFoundException);
  });

  it('pages through rule sets with Limit and NextToken without repeats or gaps', async () => {
    const names = Array.from({ length: 5 }, () => uniqueName('paged'));
    for (const name of names) {
      await client.send(new CreateMatchmakingRuleSetCommand({ Name: name, RuleSetBody: ruleSetBody }));
    }
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(
        new DescribeMatchmakingRuleSetsCommand({ Limit: 2, NextToken: nextToken }),
      );
      expect(page.RuleSets!.length).toBeLessThanOrEqual(2);
      seen.push(...page.RuleSets!.map((r) => r.RuleSetName!));
      nextToken = page.NextToken;
      pages++;
    } while (nextToken);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(new Set(seen).size).toBe(seen.length);
    for (const name of names) expect(seen).toContain(name);
  });

  it('refuses a duplicate name, a body that is not JSON, and a wrong language version', async () => {
    const name = uniqueName('rules');
    await client.send(new CreateMatchmakingRuleSetCommand({ Name: name, RuleSetBody: ruleSetBody }));
    await expect(
      client.send(new CreateMatchmakingRuleSetCommand({ Name: name, RuleSetBody: ruleSetBody })),
    ).rejects.toThrow(/already exists/);
    await expect(
      client.send(
        new CreateMatchmakingRuleSetCommand({
          Name: uniqueName('bad'),
          RuleSetBody: '{"ruleLanguageVersion":',
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidRequestException);
    const wrongVersion = client.send(
      new ValidateMatchmakingRuleSetCommand({ RuleSetBody: JSON.stringify({ ruleLanguageVersion: '2.0' }) }),
    );
    await expect(wrongVersion).rejects.toBeInstanceOf(InvalidRequestException);
    await expect(wrongVersion).rejects.toThrow(/ruleLanguageVersion/);
    const valid = await client.send(new ValidateMatchmakingRuleSetCommand({ RuleSetBody: ruleSetBody }));
    expect(valid.Valid).toBe(true);
  });

  it('refuses to delete a rule set a configuration uses, naming the configuration', async () => {
    const { ruleSetName, configurationName } = await createRuleSetAndConfiguration();
    const attempt = client.send(new DeleteMatchmakingRuleSetCommand({ Name: ruleSetName }));
    await expect(attempt).rejects.toBeInstanceOf(InvalidRequestException);
    await expect(attempt).rejects.toThrow(configurationName);
    await client.send(new DeleteMatchmakingConfigurationCommand({ Name: configurationName }));
    await client.send(new DeleteMatchmakingRuleSetCommand({ Name: ruleSetName }));
  });

  it('says NotFound for deleting an unknown rule set', async () => {
    await expect(
      client.send(new DeleteMatchmakingRuleSetCommand({ Name: uniqueName('missing') })),
    ).rejects.toBeInstanceOf(NotFoundException);
  });
});

describe('configurations through the official SDK', () => {
  it('creates a configuration with STANDALONE defaults and ARNs in AWS format', async () => {
    const { ruleSetName, configurationName, configuration } = await createRuleSetAndConfiguration();
    expect(configuration).toMatchObject({
      Name: configurationName,
      ConfigurationArn: `arn:aws:gamelift:us-east-1:000000000000:matchmakingconfiguration/${configurationName}`,
      RuleSetName: ruleSetName,
      RuleSetArn: `arn:aws:gamelift:us-east-1:000000000000:matchmakingruleset/${ruleSetName}`,
      RequestTimeoutSeconds: 120,
      AcceptanceRequired: false,
      AdditionalPlayerCount: 0,
      CustomEventData: 'arena',
      GameProperties: [{ Key: 'mode', Value: 'ranked' }],
      FlexMatchMode: 'STANDALONE',
      BackfillMode: 'MANUAL',
    });
  });

  it('refuses a configuration whose rule set does not exist, and one that already exists', async () => {
    await expect(
      client.send(
        new CreateMatchmakingConfigurationCommand({
          Name: uniqueName('config'),
          RuleSetName: uniqueName('nope'),
          RequestTimeoutSeconds: 60,
          AcceptanceRequired: false,
        }),
      ),
    ).rejects.toBeInstanceOf(NotFoundException);
    const { ruleSetName, configurationName } = await createRuleSetAndConfiguration();
    await expect(
      client.send(
        new CreateMatchmakingConfigurationCommand({
          Name: configurationName,
          RuleSetName: ruleSetName,
          RequestTimeoutSeconds: 60,
          AcceptanceRequired: false,
        }),
      ),
    ).rejects.toThrow(/already exists/);
  });

  it('refuses settings slotfill cannot honour, with a message that says what to change', async () => {
    const { ruleSetName } = await createRuleSetAndConfiguration();
    const base = { RuleSetName: ruleSetName, RequestTimeoutSeconds: 60, AcceptanceRequired: false };
    await expect(
      client.send(
        new CreateMatchmakingConfigurationCommand({
          ...base,
          Name: uniqueName('c'),
          FlexMatchMode: 'WITH_QUEUE',
        }),
      ),
    ).rejects.toThrow(/STANDALONE/);
    await expect(
      client.send(
        new CreateMatchmakingConfigurationCommand({
          ...base,
          Name: uniqueName('c'),
          BackfillMode: 'AUTOMATIC',
        }),
      ),
    ).rejects.toThrow(/MANUAL/);
    await expect(
      client.send(
        new CreateMatchmakingConfigurationCommand({
          ...base,
          Name: uniqueName('c'),
          AcceptanceRequired: true,
        }),
      ),
    ).rejects.toThrow(/AcceptanceTimeoutSeconds/);
  });

  it('updates fields, moves the rule-set reference, and keeps unchanged fields', async () => {
    const { ruleSetName, configurationName } = await createRuleSetAndConfiguration();
    const otherRuleSet = uniqueName('rules');
    await client.send(new CreateMatchmakingRuleSetCommand({ Name: otherRuleSet, RuleSetBody: ruleSetBody }));
    const updated = await client.send(
      new UpdateMatchmakingConfigurationCommand({
        Name: configurationName,
        RuleSetName: otherRuleSet,
        RequestTimeoutSeconds: 300,
        Description: 'weekend ladder',
      }),
    );
    expect(updated.Configuration).toMatchObject({
      RuleSetName: otherRuleSet,
      RequestTimeoutSeconds: 300,
      Description: 'weekend ladder',
      CustomEventData: 'arena',
    });
    // The old rule set is free again; the new one is held.
    await client.send(new DeleteMatchmakingRuleSetCommand({ Name: ruleSetName }));
    await expect(client.send(new DeleteMatchmakingRuleSetCommand({ Name: otherRuleSet }))).rejects.toThrow(
      configurationName,
    );
    await expect(
      client.send(
        new UpdateMatchmakingConfigurationCommand({ Name: uniqueName('missing'), Description: 'x' }),
      ),
    ).rejects.toBeInstanceOf(NotFoundException);
  });

  it('describes by names (unknown names left out), by rule set, and pages', async () => {
    const first = await createRuleSetAndConfiguration();
    const byNames = await client.send(
      new DescribeMatchmakingConfigurationsCommand({
        Names: [first.configurationName, uniqueName('unknown')],
      }),
    );
    expect(byNames.Configurations?.map((c) => c.Name)).toEqual([first.configurationName]);

    const sameRuleSet = uniqueName('config');
    await client.send(
      new CreateMatchmakingConfigurationCommand({
        Name: sameRuleSet,
        RuleSetName: first.ruleSetName,
        RequestTimeoutSeconds: 30,
        AcceptanceRequired: false,
      }),
    );
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new DescribeMatchmakingConfigurationsCommand({
          RuleSetName: first.ruleSetName,
          Limit: 1,
          NextToken: nextToken,
        }),
      );
      names.push(...page.Configurations!.map((c) => c.Name!));
      nextToken = page.NextToken;
    } while (nextToken);
    expect(names.sort()).toEqual([first.configurationName, sameRuleSet].sort());

    await expect(
      client.send(new DescribeMatchmakingConfigurationsCommand({ NextToken: 'not-a-token' })),
    ).rejects.toThrow(/NextToken/);
  });

  it('refuses to delete a configuration with active tickets, and allows it once they end', async () => {
    const { configurationName } = await createRuleSetAndConfiguration();
    const started = await client.send(
      new StartMatchmakingCommand({
        ConfigurationName: configurationName,
        Players: [{ PlayerId: uniqueName('p') }],
      }),
    );
    await expect(
      client.send(new DeleteMatchmakingConfigurationCommand({ Name: configurationName })),
    ).rejects.toThrow(/active tickets/);
    await client.send(new StopMatchmakingCommand({ TicketId: started.MatchmakingTicket!.TicketId! }));
    await client.send(new DeleteMatchmakingConfigurationCommand({ Name: configurationName }));
    await expect(
      client.send(new DeleteMatchmakingConfigurationCommand({ Name: configurationName })),
    ).rejects.toBeInstanceOf(NotFoundException);
  });
});

describe('tickets through the official SDK', () => {
  it('starts a ticket QUEUED with a generated UUID, describes it, and stops it', async () => {
    const { configurationName } = await createRuleSetAndConfiguration();
    const playerId = uniqueName('player');
    const started = await client.send(
      new StartMatchmakingCommand({
        ConfigurationName: configurationName,
        Players: [
          {
            PlayerId: playerId,
            PlayerAttributes: {
              skill: { N: 23 },
              mode: { S: 'ranked' },
              maps: { SL: ['dust'] },
              roles: { SDM: { tank: 1 } },
            },
            LatencyInMs: { 'us-east-1': 40 },
          },
        ],
      }),
    );
    const ticket = started.MatchmakingTicket!;
    expect(ticket.TicketId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(ticket.Status).toBe('QUEUED');
    expect(ticket.ConfigurationName).toBe(configurationName);
    expect(ticket.Players?.[0]).toEqual({
      PlayerId: playerId,
      PlayerAttributes: {
        skill: { N: 23 },
        mode: { S: 'ranked' },
        maps: { SL: ['dust'] },
        roles: { SDM: { tank: 1 } },
      },
      LatencyInMs: { 'us-east-1': 40 },
    });

    const described = await client.send(
      new DescribeMatchmakingCommand({ TicketIds: [ticket.TicketId!, 'unknown-id'] }),
    );
    expect(described.TicketList?.map((t) => t.TicketId)).toEqual([ticket.TicketId]);

    await client.send(new StopMatchmakingCommand({ TicketId: ticket.TicketId! }));
    const stopped = await client.send(new DescribeMatchmakingCommand({ TicketIds: [ticket.TicketId!] }));
    expect(stopped.TicketList?.[0]?.Status).toBe('CANCELLED');
    expect(stopped.TicketList?.[0]?.EndTime).toBeInstanceOf(Date);
    // Stopping again changes nothing and succeeds.
    await client.send(new StopMatchmakingCommand({ TicketId: ticket.TicketId! }));
  });

  it('accepts a configuration ARN and an explicit TicketId, and refuses to reuse that TicketId', async () => {
    const { configuration } = await createRuleSetAndConfiguration();
    const ticketId = uniqueName('ticket');
    const started = await client.send(
      new StartMatchmakingCommand({
        ConfigurationName: configuration.ConfigurationArn!,
        TicketId: ticketId,
        Players: [{ PlayerId: uniqueName('p') }],
      }),
    );
    expect(started.MatchmakingTicket?.TicketId).toBe(ticketId);
    const reuse = client.send(
      new StartMatchmakingCommand({
        ConfigurationName: configuration.Name!,
        TicketId: ticketId,
        Players: [{ PlayerId: uniqueName('p') }],
      }),
    );
    await expect(reuse).rejects.toBeInstanceOf(InvalidRequestException);
    await expect(reuse).rejects.toThrow(ticketId);
  });

  it('holds one active ticket per player per configuration and releases it when the ticket ends', async () => {
    const { configurationName } = await createRuleSetAndConfiguration();
    const busy = uniqueName('busy');
    const free = uniqueName('free');
    const first = await client.send(
      new StartMatchmakingCommand({ ConfigurationName: configurationName, Players: [{ PlayerId: busy }] }),
    );
    const clash = client.send(
      new StartMatchmakingCommand({
        ConfigurationName: configurationName,
        Players: [{ PlayerId: free }, { PlayerId: busy }],
      }),
    );
    await expect(clash).rejects.toBeInstanceOf(InvalidRequestException);
    await expect(clash).rejects.toThrow(new RegExp(`${busy}.*${first.MatchmakingTicket!.TicketId}`));
    // Nothing of the refused request was written: the free player can still start a ticket.
    await client.send(
      new StartMatchmakingCommand({ ConfigurationName: configurationName, Players: [{ PlayerId: free }] }),
    );

    await client.send(new StopMatchmakingCommand({ TicketId: first.MatchmakingTicket!.TicketId! }));
    const again = await client.send(
      new StartMatchmakingCommand({ ConfigurationName: configurationName, Players: [{ PlayerId: busy }] }),
    );
    expect(again.MatchmakingTicket?.Status).toBe('QUEUED');
  });

  it('lets the same player hold tickets in two different configurations', async () => {
    const one = await createRuleSetAndConfiguration();
    const two = await createRuleSetAndConfiguration();
    const playerId = uniqueName('p');
    await client.send(
      new StartMatchmakingCommand({
        ConfigurationName: one.configurationName,
        Players: [{ PlayerId: playerId }],
      }),
    );
    const second = await client.send(
      new StartMatchmakingCommand({
        ConfigurationName: two.configurationName,
        Players: [{ PlayerId: playerId }],
      }),
    );
    expect(second.MatchmakingTicket?.Status).toBe('QUEUED');
  });

  it('refuses repeated players in one request, unknown configurations, and unknown tickets', async () => {
    const { configurationName } = await createRuleSetAndConfiguration();
    const playerId = uniqueName('p');
    await expect(
      client.send(
        new StartMatchmakingCommand({
          ConfigurationName: configurationName,
          Players: [{ PlayerId: playerId }, { PlayerId: playerId }],
        }),
      ),
    ).rejects.toThrow(/repeated PlayerId/);
    await expect(
      client.send(
        new StartMatchmakingCommand({
          ConfigurationName: uniqueName('nope'),
          Players: [{ PlayerId: playerId }],
        }),
      ),
    ).rejects.toBeInstanceOf(NotFoundException);
    await expect(
      client.send(new StopMatchmakingCommand({ TicketId: uniqueName('missing') })),
    ).rejects.toBeInstanceOf(NotFoundException);
  });

  it('turns schema violations into InvalidRequestException naming the field', async () => {
    const { configurationName } = await createRuleSetAndConfiguration();
    const tooMany = Array.from({ length: 11 }, (_, i) => ({ PlayerId: `p${i}-${uniqueName('x')}` }));
    await expect(
      client.send(new StartMatchmakingCommand({ ConfigurationName: configurationName, Players: tooMany })),
    ).rejects.toThrow(/players/i);
    await expect(
      client.send(
        new StartMatchmakingCommand({
          ConfigurationName: configurationName,
          TicketId: 'bad id!',
          Players: [{ PlayerId: 'a' }],
        }),
      ),
    ).rejects.toThrow(/ticketId/i);
    await expect(
      client.send(
        new DescribeMatchmakingCommand({ TicketIds: Array.from({ length: 11 }, (_, i) => `t${i}`) }),
      ),
    ).rejects.toBeInstanceOf(InvalidRequestException);
  });
});
