/**
 * The physical shape of slotfill's single DynamoDB table. The CDK construct and the local
 * table bootstrap both build the table from this description, so they can't disagree.
 * Item layouts and key formats live in `keys.ts`.
 */
export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB deletes finished items some time after this moment. */
  timeToLiveAttribute: 'expiresAt',
  /**
   * The stream carries new images: new QUEUED tickets trigger a matchmaker pass in AWS (the
   * event source mapping filters on them), so a ticket need not wait for the next interval.
   */
  streamViewType: 'NEW_IMAGE',
  globalSecondaryIndexes: [
    {
      /**
       * Sparse index of the matchmaking pool: only active tickets carry these attributes.
       * poolPk = `POOL#<configuration>#<status>`, poolSk = `<startTime, zero-padded ms>#<ticketId>`,
       * so one Query reads a configuration's tickets in one status, oldest first.
       */
      indexName: 'pool',
      partitionKey: 'poolPk',
      sortKey: 'poolSk',
    },
  ],
} as const;

export type TableDefinition = typeof tableDefinition;
