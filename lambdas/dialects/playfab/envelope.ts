/**
 * PlayFab's response envelope and error mapping.
 *
 *   success  {"code":200,"status":"OK","data":{...}}
 *   failure  {"code":400,"status":"BadRequest","error":"<Name>","errorCode":<n>,
 *             "errorMessage":"...","errorDetails":{...}}
 *
 * Error names and numeric codes are the spec's (`errors`/`errorList` of the Multiplayer API
 * spec; the conformance test checks every entry of PLAYFAB_ERRORS against it). The spec gives
 * no HTTP statuses. PlayFab documents 400 for MatchmakingTicketMembershipLimitExceeded (the
 * backfill guide) and 429 for MatchmakingRateLimitExceeded ("Handling common error cases"); the
 * other statuses follow HTTP's meaning and are slotfill's choice: 404 for the not-found errors,
 * 401/403 for authentication/authorisation, 500/503 for our faults, 400 for the rest.
 *
 * Validation failures become PlayFab's InvalidParams (1000) with `errorDetails` mapping each
 * offending field path (`Creator.Entity.Id`, `MatchmakingQueue.Teams[0].Name`) to messages
 * that say what a valid value is, the shape PlayFab's model validation returns.
 */
import type * as z from 'zod/mini';
import { type FailureKind, type FailureReason, SlotfillError } from '../../shared/errors';
import { type OperationRequest, type PlayFabOperation, requestSchemas } from './schemas';

export interface PlayFabErrorInfo {
  errorCode: number;
  httpStatus: number;
}

/** The errors slotfill can return, by the spec's name. */
export const PLAYFAB_ERRORS = {
  UnkownError: { errorCode: 500, httpStatus: 500 }, // sic: the spec's spelling
  InvalidParams: { errorCode: 1000, httpStatus: 400 },
  InvalidRequest: { errorCode: 1071, httpStatus: 400 },
  NotAuthenticated: { errorCode: 1074, httpStatus: 401 },
  NotAuthorized: { errorCode: 1089, httpStatus: 403 },
  InternalServerError: { errorCode: 1110, httpStatus: 500 },
  // The answer to an unknown `/Match/<Operation>`: 404, the HTTP meaning of a missing endpoint.
  InvalidAPIEndpoint: { errorCode: 1131, httpStatus: 404 },
  ServiceUnavailable: { errorCode: 1123, httpStatus: 503 },
  InvalidContentType: { errorCode: 1144, httpStatus: 400 },
  APIClientRequestRateLimitExceeded: { errorCode: 1199, httpStatus: 429 },
  EntityTokenMissing: { errorCode: 1334, httpStatus: 401 },
  EntityTokenInvalid: { errorCode: 1335, httpStatus: 401 },
  EntityTokenExpired: { errorCode: 1336, httpStatus: 401 },
  MatchmakingEntityInvalid: { errorCode: 2001, httpStatus: 400 },
  MatchmakingPlayerAttributesInvalid: { errorCode: 2002, httpStatus: 400 },
  MatchmakingQueueNotFound: { errorCode: 2016, httpStatus: 404 },
  MatchmakingMatchNotFound: { errorCode: 2017, httpStatus: 404 },
  MatchmakingTicketNotFound: { errorCode: 2018, httpStatus: 404 },
  MatchmakingAlreadyJoinedTicket: { errorCode: 2028, httpStatus: 400 },
  MatchmakingTicketAlreadyCompleted: { errorCode: 2029, httpStatus: 400 },
  MatchmakingQueueConfigInvalid: { errorCode: 2031, httpStatus: 400 },
  MatchmakingMemberProfileInvalid: { errorCode: 2032, httpStatus: 400 },
  MatchmakingNotEnabled: { errorCode: 2035, httpStatus: 400 },
  MatchmakingPlayerAttributesTooLarge: { errorCode: 2043, httpStatus: 400 },
  MatchmakingNumberOfPlayersInTicketTooLarge: { errorCode: 2044, httpStatus: 400 },
  MatchmakingAttributeInvalid: { errorCode: 2046, httpStatus: 400 },
  MatchmakingPlayerHasNotJoinedTicket: { errorCode: 2053, httpStatus: 400 },
  MatchmakingRateLimitExceeded: { errorCode: 2054, httpStatus: 429 },
  MatchmakingTicketMembershipLimitExceeded: { errorCode: 2055, httpStatus: 400 },
  MatchmakingUnauthorized: { errorCode: 2056, httpStatus: 403 },
  MatchmakingQueueLimitExceeded: { errorCode: 2057, httpStatus: 400 },
  MatchmakingRequestTypeMismatch: { errorCode: 2058, httpStatus: 400 },
  MatchmakingBadRequest: { errorCode: 2059, httpStatus: 400 },
  PubSubConnectionNotFoundForEntity: { errorCode: 2502, httpStatus: 400 },
  PubSubConnectionHandleInvalid: { errorCode: 2503, httpStatus: 400 },
  PubSubSubscriptionLimitExceeded: { errorCode: 2504, httpStatus: 400 },
} as const satisfies Record<string, PlayFabErrorInfo>;

export type PlayFabErrorName = keyof typeof PLAYFAB_ERRORS;

export function isPlayFabErrorName(name: unknown): name is PlayFabErrorName {
  return typeof name === 'string' && Object.hasOwn(PLAYFAB_ERRORS, name);
}

/** HTTP status → PlayFab's `status` text (the .NET HttpStatusCode name). */
const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  503: 'ServiceUnavailable',
};

export type ErrorDetails = Record<string, unknown>;

export interface PlayFabSuccessBody<Data> {
  code: 200;
  status: 'OK';
  data: Data;
}

export interface PlayFabErrorBody {
  code: number;
  status: string;
  error: PlayFabErrorName;
  errorCode: number;
  errorMessage: string;
  errorDetails?: ErrorDetails;
}

export function playFabSuccess<Data>(data: Data): PlayFabSuccessBody<Data> {
  return { code: 200, status: 'OK', data };
}

export function playFabError(
  name: PlayFabErrorName,
  message: string,
  details?: ErrorDetails,
): PlayFabErrorBody {
  const { errorCode, httpStatus } = PLAYFAB_ERRORS[name];
  const body: PlayFabErrorBody = {
    code: httpStatus,
    status: STATUS_TEXT[httpStatus] ?? 'BadRequest',
    error: name,
    errorCode,
    errorMessage: message,
  };
  if (details !== undefined && Object.keys(details).length > 0) body.errorDetails = details;
  return body;
}

// ---------------------------------------------------------------------------------------------
// SlotfillError → PlayFab error

/** The PlayFab error of each neutral reason; an operation may refine it (see BY_OPERATION). */
const BY_REASON: Readonly<Record<FailureReason, PlayFabErrorName>> = {
  AlreadyCompleted: 'MatchmakingTicketAlreadyCompleted',
  AlreadyJoined: 'MatchmakingAlreadyJoinedTicket',
  DuplicatePlayers: 'MatchmakingBadRequest',
  TooLarge: 'MatchmakingNumberOfPlayersInTicketTooLarge',
  WrongTicketKind: 'MatchmakingRequestTypeMismatch',
  MembershipLimit: 'MatchmakingTicketMembershipLimitExceeded',
  // PlayFab names no error for it; the request is refused as it stands.
  InvitationLimit: 'MatchmakingBadRequest',
  ServerOnly: 'MatchmakingUnauthorized',
  NotOwner: 'MatchmakingUnauthorized',
  InvalidBackfillMember: 'MatchmakingBadRequest',
  InvalidRuleDefinition: 'MatchmakingQueueConfigInvalid',
  InvalidPlayerAttributes: 'MatchmakingPlayerAttributesInvalid',
  AttributesTooLarge: 'MatchmakingPlayerAttributesTooLarge',
  Unsupported: 'MatchmakingBadRequest',
  RateLimited: 'MatchmakingRateLimitExceeded',
};

/** What was not found (details.resource) → its PlayFab error. */
const NOT_FOUND_BY_RESOURCE: Readonly<Record<string, PlayFabErrorName>> = {
  configuration: 'MatchmakingQueueNotFound',
  ticket: 'MatchmakingTicketNotFound',
  match: 'MatchmakingMatchNotFound',
};

/** Default per kind, when neither reason nor resource names anything better. */
const DEFAULT_BY_KIND: Readonly<Record<FailureKind, PlayFabErrorName>> = {
  InvalidRequest: 'InvalidParams',
  NotFound: 'MatchmakingTicketNotFound',
  Conflict: 'MatchmakingTicketAlreadyCompleted',
  LimitExceeded: 'MatchmakingTicketMembershipLimitExceeded',
  Unauthorized: 'MatchmakingUnauthorized',
  // 429: the status PlayFab's SDKs and guides treat as "retry after a pause".
  Busy: 'MatchmakingRateLimitExceeded',
  Internal: 'InternalServerError',
};

/** Queue administration refuses players with NotAuthorized, as PlayFab's title-level APIs do. */
const QUEUE_ADMINISTRATION = new Set<PlayFabOperation>([
  'SetMatchmakingQueue',
  'GetMatchmakingQueue',
  'ListMatchmakingQueues',
  'RemoveMatchmakingQueue',
]);

function chooseName(error: SlotfillError, operation: PlayFabOperation | undefined): PlayFabErrorName {
  if (error.reason === 'ServerOnly' && operation !== undefined && QUEUE_ADMINISTRATION.has(operation)) {
    return 'NotAuthorized';
  }
  if (error.reason !== undefined) return BY_REASON[error.reason];
  if (error.kind === 'NotFound') {
    const resource = error.details.resource;
    if (typeof resource === 'string' && NOT_FOUND_BY_RESOURCE[resource] !== undefined) {
      return NOT_FOUND_BY_RESOURCE[resource] as PlayFabErrorName;
    }
  }
  // A queue that can't be stored as given is a bad queue configuration.
  if (operation === 'SetMatchmakingQueue' && error.kind === 'InvalidRequest')
    return 'MatchmakingQueueConfigInvalid';
  return DEFAULT_BY_KIND[error.kind];
}

/** details.holders of a MembershipLimit (with the entity types the operation added) → PlayFab's entity keys. */
function membershipDetails(error: SlotfillError): ErrorDetails | undefined {
  const holders = error.details.holders;
  if (!Array.isArray(holders)) return undefined;
  const types = (error.details.entityTypes ?? {}) as Record<string, string>;
  const users = holders.map((holder: { playerId: string }) => {
    const type = types[holder.playerId];
    return type === undefined ? { Id: holder.playerId } : { Id: holder.playerId, Type: type };
  });
  return { UsersExceedingMembershipLimit: users };
}

/**
 * Any thrown value → the PlayFab error body to send. A SlotfillError keeps its message (a
 * MembershipLimit is reworded in PlayFab's terms of users and queues); anything else is our
 * fault, reported without internals.
 */
export function toPlayFabError(error: unknown, operation?: PlayFabOperation): PlayFabErrorBody {
  if (!(error instanceof SlotfillError)) {
    return playFabError(
      'InternalServerError',
      'The service encountered an internal error; retry the request.',
    );
  }
  const name = chooseName(error, operation);
  let details: ErrorDetails | undefined;
  const fieldErrors = error.details.fieldErrors;
  if (typeof fieldErrors === 'object' && fieldErrors !== null) details = { ...(fieldErrors as ErrorDetails) };
  const membership = membershipDetails(error);
  if (membership !== undefined) details = { ...details, ...membership };
  return playFabError(name, membership ? membershipMessage(error) : error.message, details);
}

function membershipMessage(error: SlotfillError): string {
  const holders = (error.details.holders ?? []) as Array<{ playerId: string }>;
  const kind = error.details.ticketKind === 'backfill' ? 'backfill ticket' : 'matchmaking ticket';
  const remedy =
    error.details.ticketKind === 'backfill'
      ? 'Cancel it with CancelServerBackfillTicket or CancelAllServerBackfillTicketsForPlayer.'
      : 'Cancel it (CancelMatchmakingTicket / CancelAllMatchmakingTicketsForPlayer) or wait for it to end.';
  return `User(s) ${holders.map((h) => h.playerId).join(', ')} already belong to an active ${kind} in this queue; a user may be in one ${kind} per queue. ${remedy}`;
}

// ---------------------------------------------------------------------------------------------
// Request validation

export const INVALID_PARAMS_MESSAGE = 'Invalid input parameters';
export const NOT_AN_OBJECT_MESSAGE = 'The request body must be a JSON object';

export type ParsedRequest<Operation extends PlayFabOperation> =
  | { ok: true; request: OperationRequest<Operation> }
  | { ok: false; error: PlayFabErrorBody };

/** Parses one operation's request body; on failure, the InvalidParams error to send. */
export function parseRequest<Operation extends PlayFabOperation>(
  operation: Operation,
  body: unknown,
): ParsedRequest<Operation> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, error: playFabError('InvalidParams', NOT_AN_OBJECT_MESSAGE) };
  }
  const result = requestSchemas[operation].safeParse(body, { reportInput: true });
  if (!result.success) return { ok: false, error: toInvalidParams(result.error) };
  // The record is indexed by the same key, so the data is this operation's request; TypeScript
  // can't relate a generic key to the matching member of the schema union by itself.
  return { ok: true, request: result.data as OperationRequest<Operation> };
}

/** A zod error → InvalidParams with `errorDetails` {field path: [messages]}. */
export function toInvalidParams(error: z.core.$ZodError): PlayFabErrorBody {
  return playFabError('InvalidParams', INVALID_PARAMS_MESSAGE, fieldErrors(error));
}

export function fieldErrors(error: z.core.$ZodError): Record<string, string[]> {
  const details: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const field = fieldPath(issue.path);
    const messages = details[field] ?? [];
    const message = describeIssue(field, issue);
    if (!messages.includes(message)) messages.push(message);
    details[field] = messages;
  }
  return details;
}

/** `MatchmakingQueue.Teams[0].Name`: .NET model-state keys, which PlayFab reports. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text === '' ? 'request' : text;
}

function typeName(expected: string): string {
  switch (expected) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'int':
      return 'a whole number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a JSON array';
    case 'object':
    case 'record':
      return 'a JSON object';
    default:
      return expected;
  }
}

function lastName(field: string): string {
  const dot = field.lastIndexOf('.');
  return dot < 0 ? field : field.slice(dot + 1);
}

function describeIssue(field: string, issue: z.core.$ZodIssue): string {
  const name = lastName(field);
  if (issue.code === 'invalid_type') {
    const absent = !('input' in issue) || issue.input === undefined;
    if (absent) return `The ${name} field is required.`;
    if (issue.input === null) return `The ${name} field is required and may not be null.`;
    return `The field ${name} must be ${typeName(issue.expected)}.`;
  }
  if (issue.code === 'unrecognized_keys') return `Unknown fields: ${issue.keys.join(', ')}.`;
  // Our schemas phrase every other check as "must ..."; zod's defaults only for the unexpected.
  const phrase = issue.message.startsWith('must ') ? issue.message : `is invalid (${issue.message})`;
  return `The field ${name} ${phrase}.`;
}
