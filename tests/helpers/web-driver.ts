// The web chat as a transcript driver: messages go in through WebChatAdapter.receive (what the
// page's POST does) and replies are read back from the web chat's transcript table.
import type { Harness } from './harness.ts';
import type { Step, TranscriptDriver } from './transcript.ts';

export function webDriver(h: Harness): TranscriptDriver {
  let seq = 0;
  let lastId = 0;
  let previous: { clientId: string; step: Extract<Step, { kind: 'say' }> } | undefined;
  return {
    platform: 'web',
    groupChatId: (alias) => alias,
    userId: (person) => person,
    async say(step) {
      const s = step.again && previous ? previous.step : step;
      const clientId = step.again && previous ? previous.clientId : `msg-${String(++seq).padStart(6, '0')}`;
      previous = { clientId, step: s };
      await h.app.webChat.receive(
        { conversation: s.conv === 'dm' ? `dm:${s.person}` : s.conv, persona: s.person, text: s.text, clientId, replyToBot: s.reply },
        s.person,
      );
    },
    async collect() {
      await h.drain();
      const rows = await h.app.ctx.prisma.webChatMessage.findMany({
        where: { senderId: null, id: { gt: lastId } },
        orderBy: { id: 'asc' },
      });
      if (rows.length) lastId = rows[rows.length - 1]?.id ?? lastId;
      return rows
        .map((r) => ({ conv: r.conversation, id: r.id, text: r.text }))
        .sort((a, b) => a.conv.localeCompare(b.conv) || a.id - b.id)
        .map((r) => `bot @${r.conv}: ${r.text}`);
    },
  };
}
