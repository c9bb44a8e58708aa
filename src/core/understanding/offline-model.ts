import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { NeedAnalysis } from '../needs/classify-need.ts';
import { needCategories, type NeedCategory } from '../needs/categories.ts';
import { normalizeForModel, textFeatures } from './features.ts';
import { segmenter, type Segmenter } from './segmenter.ts';
import { predict, type LinearModel, type Prediction } from './text-model.ts';
import { intents, type Intent } from './understanding.ts';

/** The committed model, written by `npm run train` (scripts/train-understanding.ts). */
export const defaultModelPath = fileURLToPath(new URL('../../../data/understanding/model.json', import.meta.url));

const linearModel = z.object({
  classes: z.array(z.string()),
  bias: z.array(z.number()),
  weights: z.record(z.string(), z.array(z.number())),
});

const accuracy = z.object({ n: z.number().int(), intent: z.number().optional(), category: z.number().optional(), categoryN: z.number().int().optional() });

export const offlineModelFileSchema = z.object({
  v: z.literal(1),
  /** Words added to jieba's dictionary before segmenting. */
  userWords: z.array(z.string()),
  intent: linearModel,
  category: linearModel,
  trainedOn: z.object({ corpusSha256: z.string(), examples: z.number().int(), seed: z.number().int() }),
  /** The held-out file's hash when it was written (scripts/train-understanding.ts refuses another). */
  heldoutSha256: z.string(),
  /** Figures `npm run train` printed for this very model (after rounding), re-checked by the tests. */
  accuracy: z.object({ split: accuracy, heldout: accuracy, dev: accuracy.optional() }),
});
export type OfflineModelFile = z.infer<typeof offlineModelFileSchema>;

export interface IntentGuess {
  intent: Intent;
  p: number;
}

export interface CategoryGuess {
  category: NeedCategory;
  p: number;
}

/**
 * A loaded model: the two classifiers (intent, need category) and the segmenter they were trained
 * with. Pure after loading: no I/O, no clock.
 */
export class OfflineModel {
  private readonly seg: Segmenter;

  constructor(readonly file: OfflineModelFile) {
    for (const c of file.intent.classes) if (!(intents as readonly string[]).includes(c)) throw new Error(`model intent ${c} is not an intent`);
    for (const c of file.category.classes) if (!(needCategories as readonly string[]).includes(c)) throw new Error(`model category ${c} is not a category`);
    this.seg = segmenter(file.userWords);
  }

  /** The text as the models read it (see normalizeForModel). */
  normalize(text: string): string {
    return normalizeForModel(text);
  }

  /** The features of a text (normalised again here: idempotent); `lexicon` is analyzeNeed of it. */
  features(text: string, lexicon: NeedAnalysis): string[] {
    return this.featuresOfNormalized(normalizeForModel(text), lexicon);
  }

  /**
   * The jieba words of a text already normalised by {@link normalize}, cut as the models' features
   * cut it (the same dictionary and user words): what near-duplicate signatures compare.
   */
  words(normalized: string): string[] {
    return this.seg.cut(normalized);
  }

  /** {@link features} of a text already normalised by {@link normalize}. */
  featuresOfNormalized(normalized: string, lexicon: NeedAnalysis): string[] {
    return textFeatures(normalized, this.seg, lexicon);
  }

  intentOf(features: readonly string[]): IntentGuess {
    const p: Prediction = predict(this.file.intent as LinearModel, features);
    return { intent: p.label as Intent, p: p.p };
  }

  categoryOf(features: readonly string[]): CategoryGuess {
    const p = predict(this.file.category as LinearModel, features);
    return { category: p.label as NeedCategory, p: p.p };
  }
}

const loaded = new Map<string, OfflineModel>();

/** Reads and validates a model file once per process (cached by path). Throws when it is unreadable. */
export function loadOfflineModel(path: string = defaultModelPath): OfflineModel {
  let m = loaded.get(path);
  if (!m) {
    m = new OfflineModel(offlineModelFileSchema.parse(JSON.parse(readFileSync(path, 'utf8'))));
    loaded.set(path, m);
  }
  return m;
}

/** The committed model, or null when the file is missing (a checkout before the first `npm run train`). */
export function committedModel(): OfflineModel | null {
  try {
    return loadOfflineModel();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
