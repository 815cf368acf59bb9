import { type FailureKind, type FailureReason, SlotfillError } from '../../shared/errors';

/** An AWS JSON 1.1 error: the SDK reads `__type` to raise its typed exception class. */
export interface AwsJsonError {
  statusCode: number;
  body: { __type: string; message: string };
}

const errorNames: Record<FailureKind, { type: string; statusCode: number }> = {
  InvalidRequest: { type: 'InvalidRequestException', statusCode: 400 },
  NotFound: { type: 'NotFoundException', statusCode: 400 },
  // FlexMatch reports "already exists" and "in use" as bad requests.
  Conflict: { type: 'InvalidRequestException', statusCode: 400 },
  LimitExceeded: { type: 'LimitExceededException', statusCode: 400 },
  Unauthorized: { type: 'UnauthorizedException', statusCode: 400 },
  // Not in the model's error list, but the SDKs' standard retry strategy retries this name.
  Busy: { type: 'ThrottlingException', statusCode: 400 },
  Internal: { type: 'InternalServiceException', statusCode: 500 },
};

export function awsJsonError(type: string, message: string, statusCode = 400): AwsJsonError {
  return { statusCode, body: { __type: type, message } };
}

/** Reasons FlexMatch reports with another exception than their kind's. */
const errorNamesByReason: Partial<Record<FailureReason, { type: string; statusCode: number }>> = {
  // FlexMatch refuses a player with an active ticket as a bad request, naming the ticket.
  MembershipLimit: errorNames.InvalidRequest,
  // The SDKs' retry strategies recognise ThrottlingException by name and back off and retry.
  RateLimited: { type: 'ThrottlingException', statusCode: 400 },
};

export function toAwsJsonError(error: unknown): AwsJsonError {
  if (error instanceof SlotfillError) {
    const { type, statusCode } =
      (error.reason === undefined ? undefined : errorNamesByReason[error.reason]) ?? errorNames[error.kind];
    return awsJsonError(type, error.message, statusCode);
  }
  return awsJsonError(
    'InternalServiceException',
    'The service encountered an internal error; retry the request.',
    500,
  );
}
