import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { analyzeNeed } from '../needs/classify-need.ts';
import { needCategories } from '../needs/categories.ts';
import type { OfflineModel } from './offline-model.ts';
import { intents } from './understanding.ts';

/** One labelled message of data/understanding/*.jsonl (or the shared dev set, which has no intent). */
export const labelledMessageSchema = z.object({
  text: z.string().min(1),
  intent: z.enum(intents).optional(),
  category: z.enum(needCategories).optional(),
});
export type LabelledMessage = z.infer<typeof labelledMessageSchema>;

export function readLabelled(path: string): LabelledMessage[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      const r = labelledMessageSchema.safeParse(JSON.parse(l));
      if (!r.success) throw new Error(`${path}:${i + 1}: ${r.error.message}`);
      return r.data;
    });
}

export interface Accuracy {
  /** messages evaluated */
  n: number;
  /** share of messages with an intent whose intent the model got right */
  intent?: number;
  /** share of the messages with a category (report_need) whose category the model got right */
  category?: number;
  categoryN?: number;
  misses: string[];
}

const round = (v: number) => Math.round(v * 10000) / 10000;

/** How often the model's intent and category are right, to four decimals. Pure given the model. */
export function evaluateModel(model: OfflineModel, messages: readonly LabelledMessage[]): Accuracy {
  let intentN = 0;
  let intentOk = 0;
  let catN = 0;
  let catOk = 0;
  const misses: string[] = [];
  for (const m of messages) {
    const f = model.features(m.text, analyzeNeed(model.normalize(m.text)));
    if (m.intent) {
      intentN++;
      const got = model.intentOf(f).intent;
      if (got === m.intent) intentOk++;
      else misses.push(`intent ${m.intent} got ${got}: ${m.text}`);
    }
    if (m.category && (m.intent === undefined || m.intent === 'report_need')) {
      catN++;
      const got = model.categoryOf(f).category;
      if (got === m.category) catOk++;
      else misses.push(`category ${m.category} got ${got}: ${m.text}`);
    }
  }
  return {
    n: messages.length,
    ...(intentN ? { intent: round(intentOk / intentN) } : {}),
    ...(catN ? { category: round(catOk / catN), categoryN: catN } : {}),
    misses,
  };
}
