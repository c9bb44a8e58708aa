import type { ConversationRef, OutboundMessage } from './chat.ts';
import type { ReminderChanges } from './reminders/plan-reminders.ts';

/**
 * The private notices core decides on. Each names a message of the catalogue
 * (src/notices/catalogue.ts must hold every one, in every language: checked at compile time).
 */
export type NoticeMessage =
  | 'projectMade'
  | 'projectClosedToSupporter'
  | 'orgMatch'
  | 'claimToWorkers'
  | 'claimApproved'
  | 'claimDeclined'
  | 'promoted'
  | 'shiftMoved'
  | 'shiftCancelled'
  | 'attendanceMarkedToVolunteer'
  | 'hoursApprovedToVolunteer'
  | 'proposalToWorkers'
  | 'proposalApproved'
  | 'proposalDeclined'
  | 'proposalWon'
  // tickets (转人工) and needs answered
  | 'ticketToWorkers'
  | 'urgentToWorkers'
  | 'ticketEscalated'
  | 'ticketAnswer'
  | 'ticketFollowUp'
  | 'ticketClosedRate'
  | 'needOutcomeToSupporter'
  // substitutes (找人替班 / 接班) and volunteers who went quiet
  | 'substituteOffer'
  | 'substituteFound'
  | 'silentToWorkers'
  | 'silentReleased';

/** A private message to one person, written in their language on their latest platform account. */
export interface Notice {
  personId: number;
  /** Deterministic: the same notice to the same person is queued once. */
  key: string;
  message: NoticeMessage;
  params?: Record<string, string | number>;
  /** Informational notices respect 退订; answers to what the person did (a claim decided) do not. */
  informational?: boolean;
  /** A private chat to write to instead of the latest account (a ticket's answer goes where the resident asked). */
  to?: ConversationRef;
}

/**
 * What a use case or a flow decided should happen once its changes are committed, in domain
 * words. One executor (jobs/effects.ts) carries them out for every entry point: chat, console,
 * API, CLI and jobs. JSON-safe (dates travel as Date or ISO text), so a turn's effects can be parked
 * on its inbound row and carried out by the redelivery.
 */
export type Effect =
  /** A message in words, to one chat. `key` is deterministic: the same reply is queued once. */
  | { kind: 'send'; key: string; to: ConversationRef; message: OutboundMessage }
  /** Private notices to people; `locale` is the fallback for people with no language of their own. */
  | { kind: 'notify'; notices: Notice[]; locale?: string }
  /** A recorded broadcast to fan out: now, at `sendAt`, or on its cron pattern. */
  | { kind: 'broadcastScheduled'; broadcast: { id: number; sendAt: Date | null; cron: string | null; timezone: string | null } }
  /** A broadcast's future runs stopped (its delayed job or its recurring schedule). */
  | { kind: 'broadcastCancelled'; broadcastId: number }
  /** Reminder alarms to set (each due at its time) and old plans' alarms to drop. */
  | { kind: 'remindersPlanned'; changes: ReminderChanges }
  /** An urgent ticket to look at again at `at`: still unanswered, it goes up to the street's workers. */
  | { kind: 'ticketEscalation'; ticketId: number; at: Date }
  /** A substitute request to offer to the community's groups at `at`, if nobody took it by then. */
  | { kind: 'substituteToGroups'; requestId: number; at: Date };

export type SendEffect = Extract<Effect, { kind: 'send' }>;

/** Effects for a use case's reminder changes; none when nothing changed. */
export function remindersPlanned(changes: ReminderChanges): Effect[] {
  return changes.add.length || changes.remove.length || changes.checks?.length ? [{ kind: 'remindersPlanned', changes }] : [];
}

/** An effect for private notices; none when there are none. */
export function notify(notices: Notice[], locale?: string): Effect[] {
  return notices.length ? [{ kind: 'notify', notices, ...(locale ? { locale } : {}) }] : [];
}
