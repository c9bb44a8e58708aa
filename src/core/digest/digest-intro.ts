import { z } from 'zod';
import { maskPersonalData } from '../../lib/mask.ts';
import type { CoreContext } from '../context.ts';
import type { LlmClient } from '../llm/llm-client.ts';
import type { WeeklyDigest } from './weekly-digest.ts';

export const digestIntroPromptVersion = 'digest-intro.v1';

const system = `You write the opening of the weekly digest a community worker in a Chinese residential community reads on Monday morning.
The user message is a JSON object of this week's counts: new needs by category, projects waiting (drafts, in review), organisations' claims waiting, volunteers silent after a reminder, hours waiting for approval, and "locale" (the worker's language).
Answer "intro": 1 to 3 plain, warm sentences in the worker's language that say what matters most this week and what to do first. Use only the numbers given; invent nothing; no lists, no greetings with names.`;

const introSchema = z
  .strictObject({ intro: z.string() })
  .transform((s) => maskPersonalData(s.intro).trim())
  .pipe(z.string().min(1).max(500));

/**
 * A few plain sentences for the top of the weekly digest, written by the LLM from the digest's
 * counts only (no names, no texts: nothing personal is sent), in the community's language. The
 * digest stays complete without it.
 * Null when no LLM is configured or it has no valid answer in time.
 */
export async function digestIntro(ctx: CoreContext, llm: LlmClient | undefined, digest: WeeklyDigest): Promise<string | null> {
  if (!llm) return null;
  // The digest goes out in the community's language.
  const { locale } = await ctx.prisma.community.findUniqueOrThrow({ where: { id: digest.community.id }, select: { locale: true } });
  return llm.ask({
    purpose: 'digest_intro',
    promptVersion: digestIntroPromptVersion,
    communityId: digest.community.id,
    system,
    data: {
      locale,
      new_needs: Object.fromEntries(digest.newNeeds.map((n) => [n.category, n.count])),
      draft_projects: digest.drafts.length,
      projects_in_review: digest.inReview.length,
      claims_waiting: digest.pendingClaims.length,
      silent_volunteers: digest.silentVolunteers.length,
      hours_waiting: { entries: digest.pendingHours.count, hours: digest.pendingHours.hours },
    },
    schemaName: 'digest_intro',
    schema: introSchema,
  });
}
