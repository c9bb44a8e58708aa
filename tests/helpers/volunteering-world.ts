// A small world for volunteering tests: a community with a bound web group and a worker, projects
// published with shifts, and people who talk in the web chat (so sign-ups go through the router and
// their reminder jobs are scheduled as in production).
import { createCommunity } from '../../src/core/communities/create-community.ts';
import { bindGroup } from '../../src/core/groups/bind-group.ts';
import { grantRole } from '../../src/core/roles/grant-role.ts';
import { createProject } from '../../src/core/projects/create-project.ts';
import { publishProject } from '../../src/core/projects/publish-project.ts';
import { announceProject } from '../../src/notices/announce.ts';
import type { Harness } from './harness.ts';

let seq = 0;

export interface World {
  communityId: number;
  workerId: number;
  /** A project published to the group, with these shifts (start, end, capacity). */
  project(title: string, shifts: Array<{ startsAt: Date; endsAt: Date; capacity: number; place?: string }>): Promise<{ number: number; shiftIds: number[] }>;
  /** A person says something in the group (`g1`) or in private (`dm`). */
  say(person: string, conv: 'g1' | 'dm', text: string): Promise<void>;
  /** What the bot sent since the last call: [conversation, text] pairs, in order per conversation. */
  sent(): Promise<Array<[string, string]>>;
}

export async function makeWorld(h: Harness, opts: { code?: string; reminders?: string; quiet?: string | null; timezone?: string } = {}): Promise<World> {
  const ctx = h.app.ctx;
  const code = opts.code ?? 'HT01';
  const community = await createCommunity(ctx, { code, name: '回天一社区', timezone: opts.timezone });
  await ctx.prisma.community.update({
    where: { id: community.id },
    data: { ...(opts.reminders ? { reminderOffsets: opts.reminders } : {}), ...(opts.quiet !== undefined ? { quietHours: opts.quiet } : {}) },
  });
  await bindGroup(ctx, { community: code, platform: 'web', chat: 'g1', title: 'g1' });
  const grant = await grantRole(ctx, { community: code, role: 'worker', platform: 'web', user: '王书记', name: '王书记' });
  let lastId = 0;
  return {
    communityId: community.id,
    workerId: grant.personId,
    async project(title, shifts) {
      const { project } = await createProject(ctx, { communityId: community.id, title, shifts: shifts.map((s) => ({ ...s, place: s.place ?? '门口' })), via: 'api' });
      await publishProject(ctx, { communityId: community.id, number: project.number, actorId: null, via: 'cli' }, announceProject);
      return { number: project.number, shiftIds: project.shifts.map((s) => s.id) };
    },
    async say(person, conv, text) {
      await h.app.webChat.receive({ conversation: conv === 'dm' ? `dm:${person}` : conv, persona: person, text, clientId: `w-${process.pid}-${++seq}-${Date.now()}` }, person);
    },
    async sent() {
      await h.drain();
      const rows = await ctx.prisma.webChatMessage.findMany({ where: { senderId: null, id: { gt: lastId } }, orderBy: { id: 'asc' } });
      if (rows.length) lastId = rows[rows.length - 1]!.id;
      return rows.map((r) => [r.conversation, r.text] as [string, string]);
    },
  };
}

/** Waits until `check` holds (polling), or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, ms = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
