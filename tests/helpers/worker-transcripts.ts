/**
 * Issue 12's golden transcripts ("workers in the chat, and a person behind the bot") and the test
 * clock's start for each, played unchanged on every adapter (tests/flows and tests/bots/<platform>).
 */
export const workerTranscripts = [
  { file: 'projects-from-chat.txt', start: '2026-11-25T10:00+08:00' },
  { file: 'tickets.txt', start: '2026-12-03T10:00+08:00' },
  { file: 'needs-answered.txt', start: '2026-12-03T10:00+08:00' },
  { file: 'substitute.txt', start: '2026-11-30T10:00+08:00' },
] as const;
