import { randomUUID } from 'node:crypto';
import { createDocumentClient, createDynamoClient } from '../../lambdas/shared/clients';
import { DynamoMatchmakingStore } from '../../lambdas/store/dynamo-store';
import type { TicketRecord } from '../../lambdas/store/records';
import { ensureTable } from '../../lambdas/store/table-bootstrap';
import { createConfiguration } from '../../lambdas/usecases/configurations';
import { createRuleSet } from '../../lambdas/usecases/rule-sets';

const dynamo = createDynamoClient({ dynamoDbEndpoint: process.env.DYNAMODB_ENDPOINT, region: 'us-east-1' });
afterAll(() => dynamo.destroy());

async function stage(): Promise<DynamoMatchmakingStore> {
  const tableName = `tokens-${randomUUID()}`;
  await ensureTable(dynamo, tableName, { stream: false });
  const store = new DynamoMatchmakingStore({ tableName, client: createDocumentClient(dynamo) });
  const context = { store, now: () => 1_700_000_000_000, newId: () => randomUUID() };
  await createRuleSet(context, {
    name: 'rules',
    ruleSetBody: JSON.stringify({
      ruleLanguageVersion: '1.0',
      teams: [{ name: 'all', minPlayers: 2, maxPlayers: 2 }],
    }),
  });
  await createConfiguration(context, {
    name: 'config',
    ruleSetName: 'rules',
    requestTimeoutSeconds: 60,
    acceptanceRequired: false,
  });
  return store;
}

it('lets two stages (tables) on one DynamoDB use the same ticket id at the same moment', async () => {
  // ClientRequestTokens are not scoped to a table; without the table in the token the second
  // write would be taken for a mismatched retry of the first and refused.
  const [first, second] = [await stage(), await stage()];
  const ticket: TicketRecord = {
    ticketId: 'shared-ticket-id',
    kind: 'matchmaking',
    configurationName: 'config',
    status: 'QUEUED',
    players: [{ playerId: 'p1', attributes: {}, latencyInMs: {} }],
    startTime: 1_700_000_000_000,
    version: 1,
  };
  await first.createTicket(ticket);
  await second.createTicket(ticket);
  expect((await first.getTickets([ticket.ticketId])).map((t) => t.ticketId)).toEqual([ticket.ticketId]);
  expect((await second.getTickets([ticket.ticketId])).map((t) => t.ticketId)).toEqual([ticket.ticketId]);
});
