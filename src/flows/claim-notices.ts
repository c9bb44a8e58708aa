import type { Notice } from './notify.ts';

/** What decideClaim returns, as far as telling the claimant needs it. */
export interface ClaimDecision {
  claimId: number;
  approved: boolean;
  requestedById: number;
  projectNumber: number;
  projectTitle: string;
  organization: string;
  reason: string;
}

/**
 * The private notice that tells the person who filed a claim how it was decided. Its key is per
 * claim, so whether the worker decided in the chat or through the API, it is queued once. Not
 * informational: the claimant asked, so they are told even after 退订. Turn it into a message
 * with privateMessages (flows/notify.ts).
 */
export function claimDecidedNotice(d: ClaimDecision): Notice {
  return {
    personId: d.requestedById,
    key: `claim:${d.claimId}:decided`,
    message: d.approved ? 'claimApproved' : 'claimDeclined',
    params: { org: d.organization, number: d.projectNumber, title: d.projectTitle, reason: d.reason },
  };
}
