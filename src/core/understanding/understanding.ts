import { z } from 'zod';
import { needCategories } from '../needs/categories.ts';

/**
 * What a resident's plain words mean: one intent and its slots. Validated with zod whatever made it
 * (the offline model or an LLM): a model's output is data, it never grants anything — the command it
 * maps to runs with the same role checks as the typed command.
 */
export const intents = [
  'report_need',
  'support_need',
  'sign_up',
  'cancel',
  'ask_projects',
  'check_in',
  'rate',
  'propose',
  'vote',
  'ask_worker',
  'chatter',
] as const;
export type Intent = (typeof intents)[number];

export const understandingSchema = z.object({
  intent: z.enum(intents),
  /** 0..1: how sure the understander is; below a threshold the bot asks one question. */
  confidence: z.number().min(0).max(1),
  slots: z
    .object({
      category: z.enum(needCategories).optional(),
      /** 3号楼, 5栋2单元, 东门 … as written. */
      place: z.string().max(100).optional(),
      /** The project or need number referred to, when the words name one. */
      number: z.number().int().min(1).max(2_147_483_647).optional(),
      /** A day and time as written ("周六上午", "明天下午两点"). */
      when: z.string().max(100).optional(),
      /** A shift letter when the words name one. */
      shift: z.string().max(4).optional(),
      rating: z.number().int().min(1).max(5).optional(),
      urgent: z.boolean().optional(),
    })
    .default({}),
  source: z.enum(['offline', 'llm']),
});
export type Understanding = z.infer<typeof understandingSchema>;

/** What an understander may know besides the words: never names, phone numbers or group titles. */
export interface UnderstandingContext {
  inGroup: boolean;
  locale: 'zh-Hans' | 'zh-Hant' | 'en';
  communityId: number | null;
}

/** Turns plain words into an Understanding. Offline by default; an LLM when configured (it falls back offline). */
export interface Understander {
  understand(text: string, context: UnderstandingContext): Promise<Understanding>;
}
