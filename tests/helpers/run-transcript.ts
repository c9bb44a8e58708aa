import { expect } from 'vitest';
import { createCommunity } from '../../src/core/communities/create-community.ts';
import { bindGroup } from '../../src/core/groups/bind-group.ts';
import { grantRole } from '../../src/core/roles/grant-role.ts';
import { grantScopedRole } from '../../src/core/roles/grant-scoped-role.ts';
import { ensurePerson } from '../../src/core/people/resolve-person.ts';
import type { CoreContext } from '../../src/core/context.ts';
import { createOrganization } from '../../src/core/orgs/create-organization.ts';
import { createProject } from '../../src/core/projects/create-project.ts';
import { parseLocalRange } from '../../src/lib/time.ts';
import type { EffectExecutor } from '../../jobs/effects.ts';
import { createRound } from '../../src/core/ventures/create-round.ts';
import { changePhase } from '../../src/core/ventures/change-phase.ts';
import { ventureAnnouncer } from '../../src/notices/venture-announce.ts';
import type { Step, TranscriptDriver } from './transcript.ts';

/**
 * Plays a transcript through a driver and checks, after every message, that the bot's replies
 * are exactly the expected ones. A mismatch fails with the transcript's line number.
 */
export async function runTranscript(
  ctx: CoreContext,
  driver: TranscriptDriver,
  steps: Step[],
  opts: { effects?: EffectExecutor; /** What `!clock` does: move the test clock and run what fell due (Harness.advanceTo). */ advance?: (to: Date) => Promise<void> } = {},
): Promise<void> {
  for (const step of steps) {
    switch (step.kind) {
      case 'community':
        await createCommunity(ctx, { code: step.code, name: step.name, street: step.street });
        break;
      case 'streetworker': {
        const personId = await ensurePerson(ctx, driver.platform, driver.userId(step.person), step.person);
        await grantScopedRole(ctx, { personId, role: 'worker', scope: { street: step.street }, actorId: null, via: 'cli' });
        break;
      }
      case 'group':
        if (step.community) {
          await bindGroup(ctx, { community: step.community, platform: driver.platform, chat: driver.groupChatId(step.alias), building: step.building, title: step.alias });
        }
        break;
      case 'worker':
        await grantRole(ctx, { community: step.community, role: 'worker', platform: driver.platform, user: driver.userId(step.person), name: step.person });
        break;
      case 'project': {
        if (!opts.effects) throw new Error('!project needs runTranscript(…, { effects })');
        const community = await ctx.prisma.community.findUniqueOrThrow({ where: { code: step.community } });
        const shifts = (step.spec.shifts ?? []).map((spec) => {
          const [range = '', capacity = '1', place = ''] = spec.split('|');
          const r = parseLocalRange(range, community.timezone);
          if (!r) throw new Error(`bad shift "${spec}"`);
          return { startsAt: r.start, endsAt: r.end, capacity: Number(capacity), place };
        });
        const { effects, project } = await createProject(ctx, {
          communityId: community.id,
          title: step.spec.title,
          description: step.spec.description,
          needs: step.spec.needs,
          claimType: step.spec.claim,
          shifts,
          via: 'api',
        });
        for (const [i, secret] of (step.spec.checkinSecrets ?? []).entries()) {
          const shift = project.shifts[i];
          if (shift) await ctx.prisma.shift.update({ where: { id: shift.id }, data: { checkinSecret: secret } });
        }
        await opts.effects.apply(effects);
        await expectReplies(driver, step.expected, `transcript line ${step.line}: !project ${step.spec.title}`);
        break;
      }
      case 'org': {
        const community = await ctx.prisma.community.findUniqueOrThrow({ where: { code: step.community } });
        await createOrganization(ctx, {
          communityId: community.id,
          name: step.spec.name,
          serves: step.spec.serves,
          members: (step.spec.members ?? []).map((m) => ({ platform: driver.platform, user: driver.userId(m), name: m })),
        });
        break;
      }
      case 'round': {
        if (!opts.effects) throw new Error('!round needs runTranscript(…, { effects })');
        const community = await ctx.prisma.community.findUniqueOrThrow({ where: { code: step.community } });
        const { round } = await createRound(ctx, {
          communityId: community.id,
          title: step.spec.title,
          budgetYuan: step.spec.budget,
          style: step.spec.style,
          maxVotes: step.spec.votes,
          minShare: step.spec.minShare,
          minVotes: step.spec.minVotes,
          hiddenTallies: step.spec.hiddenTallies,
          via: 'cli',
        });
        const opened = await changePhase(ctx, { communityId: community.id, round: round.number, to: 'collecting', actorId: null, via: 'cli' }, ventureAnnouncer);
        await opts.effects.apply(opened.effects);
        await expectReplies(driver, step.expected, `transcript line ${step.line}: !round ${step.spec.title}`);
        break;
      }
      case 'clock': {
        if (!opts.advance) throw new Error('!clock needs runTranscript(…, { advance })');
        await opts.advance(new Date(step.at));
        await expectReplies(driver, step.expected, `transcript line ${step.line}: !clock ${step.at}`);
        break;
      }
      case 'say': {
        await driver.say(step);
        await expectReplies(driver, step.expected, `transcript line ${step.line}: ${step.person} @${step.conv}: ${step.text}`);
        break;
      }
    }
  }
}

/**
 * What the bot sent since the last check must be exactly `expected` (in order within each chat).
 * With TRANSCRIPT_RECORD=1 it prints what was sent, in transcript form, instead of checking: for
 * writing a new transcript, which a person then reads line by line before committing it.
 */
async function expectReplies(driver: TranscriptDriver, expectedLines: string[], where: string): Promise<void> {
  const actual = await driver.collect();
  if (process.env.TRANSCRIPT_RECORD) {
    console.log(`${where}\n${actual.map((l) => l.replace(/\n/g, '\n  | ')).join('\n')}`);
    return;
  }
  const expected = [...expectedLines].sort((a, b) => conv(a).localeCompare(conv(b)));
  expect(actual, where).toEqual(expected);
}

function conv(line: string): string {
  return /^bot @(.+?): /.exec(line)?.[1] ?? '';
}
