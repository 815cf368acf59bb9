import type { TicketStatus } from '../engine/model';
import type { ConfigurationRecord, RuleSetRecord, TicketRecord } from './records';

export interface Page<T> {
  items: T[];
  /** Opaque continuation; absent on the last page. */
  nextToken?: string;
}

export interface ConfigurationQuery {
  ruleSetName?: string;
  limit: number;
  nextToken?: string;
}

export interface TicketTransition {
  ticketId: string;
  /** The version the caller read; the write fails if the ticket moved on since. */
  expectedVersion: number;
  status: TicketStatus;
  statusReason?: string;
  statusMessage?: string;
  /** Set for terminal statuses. */
  endTime?: number;
}

/**
 * Everything slotfill keeps, behind one interface. The DynamoDB implementation owns every
 * key, condition and transaction; use cases only speak in records.
 */
export interface MatchmakingStore {
  createRuleSet(record: RuleSetRecord): Promise<void>;
  getRuleSets(names: string[]): Promise<RuleSetRecord[]>;
  listRuleSets(limit: number, nextToken?: string): Promise<Page<RuleSetRecord>>;
  deleteRuleSet(name: string): Promise<void>;

  createConfiguration(record: ConfigurationRecord): Promise<void>;
  getConfiguration(name: string): Promise<ConfigurationRecord | undefined>;
  getConfigurations(names: string[]): Promise<ConfigurationRecord[]>;
  listConfigurations(query: ConfigurationQuery): Promise<Page<ConfigurationRecord>>;
  /** Replaces the configuration if it is still at `expectedVersion`; moves rule-set usage. */
  updateConfiguration(record: ConfigurationRecord, previous: ConfigurationRecord): Promise<void>;
  deleteConfiguration(record: ConfigurationRecord): Promise<void>;

  /** Writes a new ticket and its players' locks atomically, or nothing. */
  createTicket(ticket: TicketRecord): Promise<void>;
  getTickets(ticketIds: string[]): Promise<TicketRecord[]>;
  /** Moves a ticket to a new status; releases its players' locks when the status is terminal. */
  transitionTicket(ticket: TicketRecord, transition: TicketTransition): Promise<TicketRecord>;
  /** Whether any ticket of the configuration is still active. */
  hasActiveTickets(configurationName: string): Promise<boolean>;
}
