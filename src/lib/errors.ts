/**
 * The codes a use case can fail with. Adapters and the web turn a code into the person's
 * language (src/flows/messages.ts); the code itself never reaches a person.
 */
export const errorCodes = [
  'GROUP_NOT_BOUND',
  'COMMUNITY_NOT_FOUND',
  'NOT_A_WORKER',
  'NOT_AN_ADMIN',
  'GROUP_BOUND_ELSEWHERE',
  'NEED_NOT_FOUND',
  'NEED_CLOSED',
  'ALREADY_SUPPORTED',
  'TEXT_EMPTY',
  'TEXT_TOO_LONG',
  'RATE_LIMITED',
  'PROJECT_NOT_FOUND',
  'PROJECT_CLOSED',
  'ALREADY_SIGNED_UP',
  'SHIFT_FULL',
  'SHIFT_NOT_FOUND',
  'NOT_SIGNED_UP',
  'SIGNUP_NOT_FOUND',
  'ORG_NOT_FOUND',
  'ORG_AMBIGUOUS',
  'NOT_AN_ORG_MEMBER',
  'PROJECT_NOT_OPEN',
  'NOT_CLAIMABLE',
  'ALREADY_CLAIMED',
  'CLAIM_TAKEN',
  'CLAIM_NOT_FOUND',
  'CLAIM_DECIDED',
  'BAD_TRANSITION',
  'BROADCAST_NOT_FOUND',
  'NO_GROUPS',
  'INVALID_INPUT',
  'CONFLICT',
  // reminders, check-in, hours, evaluation
  'CHECKIN_WRONG_CODE',
  'CHECKIN_EXPIRED_CODE',
  'CHECKIN_NOT_SIGNED_UP',
  'CHECKIN_OUTSIDE_WINDOW',
  'ALREADY_CHECKED_IN',
  'NOT_CHECKED_IN',
  'ALREADY_CHECKED_OUT',
  'NO_SHIFT_NOW',
  'NO_UPCOMING_SHIFT',
  'VOLUNTEER_NOT_FOUND',
  'VOLUNTEER_AMBIGUOUS',
  'HOURS_NOT_FOUND',
  'HOURS_DECIDED',
  'HOURS_NOT_APPROVED',
  'PROJECT_NOT_RATEABLE',
  // 微创投 (micro venture philanthropy)
  'NO_ROUND',
  'ROUND_NOT_FOUND',
  'ROUND_PHASE',
  'PLANNED_IN_PAST',
  'PLANNED_OUT_OF_ORDER',
  'NOT_COLLECTING',
  'NOT_REVIEWING',
  'NOT_TRACKING',
  'PROPOSAL_NOT_FOUND',
  'PROPOSAL_OVER_BUDGET',
  'PROPOSAL_NOT_ON_BALLOT',
  'PROPOSAL_NOT_WINNER',
  'REASON_NEEDED',
  'VOTING_NOT_OPEN',
  'MAY_NOT_VOTE',
  'NOT_SEEN_HERE',
  'ALREADY_VOTED',
  'NOT_VOTED',
  'VOTE_OVER_LIMIT',
  'VOTE_OVER_BUDGET',
  // tickets, needs answered
  'TICKET_NOT_FOUND',
  'TICKET_CLOSED',
  'TICKET_NOT_CLOSED',
  'NEED_MERGED',
  // substitutes
  'SUBSTITUTE_TAKEN',
  'NO_SUBSTITUTE',
  'OWN_SUBSTITUTE',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/** A failure a person can act on. `details` are JSON-safe values the message may show. */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    readonly details: Record<string, string | number> = {},
    message?: string,
  ) {
    super(message ?? code);
  }
}

export function isAppError(e: unknown, code?: ErrorCode): e is AppError {
  return e instanceof AppError && (code === undefined || e.code === code);
}
