import {
  type ConfigurationRecord,
  type RuleSetRecord,
  ruleSetNameOf,
  type TicketRecord,
} from '../../store/records';
import { type ArnScope, configurationArn, ruleSetArn } from './arns';
import { toWirePlayer } from './players';
import type {
  MatchmakingConfiguration as WireConfiguration,
  MatchmakingRuleSet as WireRuleSet,
  MatchmakingTicket as WireTicket,
} from './schemas';

/** AWS JSON 1.1 carries timestamps as epoch seconds (fractions allowed). */
export const epochSeconds = (epochMs: number): number => epochMs / 1000;

export function renderRuleSet(scope: ArnScope, record: RuleSetRecord): WireRuleSet {
  return {
    RuleSetName: record.name,
    RuleSetArn: ruleSetArn(scope, record.name),
    RuleSetBody: record.body,
    CreationTime: epochSeconds(record.creationTime),
  };
}

export function renderConfiguration(scope: ArnScope, record: ConfigurationRecord): WireConfiguration {
  return {
    Name: record.name,
    ConfigurationArn: configurationArn(scope, record.name),
    Description: record.description,
    RequestTimeoutSeconds: record.requestTimeoutSeconds,
    AcceptanceTimeoutSeconds: record.acceptanceTimeoutSeconds,
    AcceptanceRequired: record.acceptanceRequired,
    RuleSetName: ruleSetNameOf(record),
    RuleSetArn: ruleSetArn(scope, ruleSetNameOf(record) ?? ''),
    NotificationTarget: record.notificationTarget,
    AdditionalPlayerCount: record.additionalPlayerCount,
    CustomEventData: record.customEventData,
    CreationTime: epochSeconds(record.creationTime),
    GameProperties: record.gameProperties.map((p) => ({ Key: p.key, Value: p.value })),
    GameSessionData: record.gameSessionData,
    BackfillMode: record.backfillMode,
    FlexMatchMode: record.flexMatchMode,
  };
}

export function renderTicket(scope: ArnScope, record: TicketRecord): WireTicket {
  const connection = record.connectionInfo;
  return {
    TicketId: record.ticketId,
    ConfigurationName: record.configurationName,
    ConfigurationArn: configurationArn(scope, record.configurationName),
    // WAITING_FOR_PLAYERS is PlayFab's pre-queue state; FlexMatch has no such state and calls it QUEUED.
    Status: record.status === 'WAITING_FOR_PLAYERS' ? 'QUEUED' : record.status,
    StatusReason: record.statusReason,
    StatusMessage: record.statusMessage,
    StartTime: epochSeconds(record.startTime),
    EndTime: record.endTime === undefined ? undefined : epochSeconds(record.endTime),
    Players: record.players.map(toWirePlayer),
    GameSessionConnectionInfo: connection && {
      GameSessionArn: connection.gameSessionArn,
      IpAddress: connection.ipAddress,
      DnsName: connection.dnsName,
      Port: connection.port,
      MatchedPlayerSessions: connection.matchedPlayerSessions.map((s) => ({
        PlayerId: s.playerId,
        PlayerSessionId: s.playerSessionId,
      })),
    },
    EstimatedWaitTime: record.estimatedWaitTimeSeconds,
  };
}
