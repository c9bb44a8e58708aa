// `npm run train`: trains the offline understanding models on data/understanding/corpus.jsonl and
// writes data/understanding/model.json. Deterministic (fixed seed). Prints:
//   - accuracy on a held-back split of the corpus (a model trained on the rest),
//   - accuracy of the final model (trained on the whole corpus) on data/understanding/heldout.jsonl,
//   - its category accuracy on ../shared/data/needs-dev.jsonl when that file is present.
// `npm run train -- --tune` instead cross-validates a few settings on the corpus alone (5 folds)
// and writes nothing: the held-out and dev sets are never read for a tuning decision.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyzeNeed, lexiconTerms } from '../src/core/needs/classify-need.ts';
import { needCategories } from '../src/core/needs/categories.ts';
import { evaluateModel, readLabelled, type LabelledMessage } from '../src/core/understanding/evaluate-model.ts';
import { OfflineModel, defaultModelPath, offlineModelFileSchema, type OfflineModelFile } from '../src/core/understanding/offline-model.ts';
import { normalizeForModel, textFeatures } from '../src/core/understanding/features.ts';
import { segmenter } from '../src/core/understanding/segmenter.ts';
import { seededRandom, shuffled, train, type Example, type TrainOptions } from '../src/core/understanding/text-model.ts';
import { intents } from '../src/core/understanding/understanding.ts';

const SEED = 20261122;
/**
 * The held-out file's SHA-256 as written, before the corpus and the model (commit 14eba89). The
 * script refuses to run if the file changed: it is evaluated, never edited or tuned on.
 */
const HELDOUT_SHA256 = '051d1c1894f3e13d9de243d78a02fd8c691505b69d3eae22a455a0de5cbdacdf';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const corpusPath = here('../data/understanding/corpus.jsonl');
const heldoutPath = here('../data/understanding/heldout.jsonl');
const devPath = here('../../shared/data/needs-dev.jsonl');

/** Words jieba should keep whole: the need lexicon's terms and the chat's own words. */
const CHAT_WORDS = ['签到码', '签到', '报名', '取消报名', '微创投', '提案', '同求', '楼道灯', '声控灯', '单元门', '去不了', '来不了', '算我一个', '有空', '帮忙'];

const options: TrainOptions = { seed: SEED, epochs: 30, rate: 2, decay: 0.2, l2: 1e-5, minCount: 1, prune: 0.02, decimals: 3, balance: true };

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

const corpus = readLabelled(corpusPath);
const userWords = [...new Set([...lexiconTerms(), ...CHAT_WORDS])].sort();
const seg = segmenter(userWords);
const featuresOf = (text: string) => {
  const t = normalizeForModel(text);
  return textFeatures(t, seg, analyzeNeed(t));
};

interface Featured {
  m: LabelledMessage;
  f: string[];
}
const featured: Featured[] = corpus.map((m) => ({ m, f: featuresOf(m.text) }));

function fit(items: readonly Featured[], opts: TrainOptions): OfflineModelFile {
  const intentExamples: Example[] = items.filter((x) => x.m.intent).map((x) => ({ features: x.f, label: x.m.intent! }));
  const categoryExamples: Example[] = items
    .filter((x) => x.m.category && x.m.intent === 'report_need')
    .map((x) => ({ features: x.f, label: x.m.category! }));
  return {
    v: 1,
    userWords,
    intent: train(intentExamples, intents, opts),
    category: train(categoryExamples, needCategories, opts),
    trainedOn: { corpusSha256: sha256(corpusPath), examples: items.length, seed: opts.seed },
    heldoutSha256: HELDOUT_SHA256,
    accuracy: { split: { n: 0 }, heldout: { n: 0 } },
  };
}

/** Stratified by intent (and category): every `k`-th of each label, after a seeded shuffle. */
function folds(items: readonly Featured[], k: number): Featured[][] {
  const byLabel = new Map<string, Featured[]>();
  for (const x of shuffled(items, seededRandom(SEED))) {
    const key = `${x.m.intent}/${x.m.category ?? ''}`;
    byLabel.set(key, [...(byLabel.get(key) ?? []), x]);
  }
  const out: Featured[][] = Array.from({ length: k }, () => []);
  let i = 0;
  for (const key of [...byLabel.keys()].sort()) for (const x of byLabel.get(key)!) out[i++ % k]!.push(x);
  return out;
}

function lexiconCategoryAccuracy(messages: readonly LabelledMessage[]): number {
  const cases = messages.filter((m) => m.category && (m.intent === undefined || m.intent === 'report_need'));
  // The lexicon on its own (classifyNeed itself now asks the committed model for Chinese text).
  const ok = cases.filter((m) => analyzeNeed(normalizeForModel(m.text)).category === m.category).length;
  return Math.round((ok / cases.length) * 10000) / 10000;
}

const pct = (v: number | undefined) => (v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);

if (process.argv.includes('--tune')) {
  const grid: Array<Partial<TrainOptions>> = process.argv.includes('--grid')
    ? [{}, { balance: false }, { epochs: 15 }, { epochs: 50 }, { rate: 1 }, { rate: 4 }, { l2: 1e-4 }, { minCount: 2 }]
    : [{}];
  const parts = folds(featured, 5);
  console.log(`lexicon alone: category ${pct(lexiconCategoryAccuracy(corpus))} on the corpus`);
  for (const g of grid) {
    const opts = { ...options, ...g };
    let intentSum = 0;
    let catSum = 0;
    for (let i = 0; i < parts.length; i++) {
      const trainSet = parts.filter((_, j) => j !== i).flat();
      const model = new OfflineModel(fit(trainSet, opts));
      const acc = evaluateModel(model, parts[i]!.map((x) => x.m));
      intentSum += acc.intent ?? 0;
      catSum += acc.category ?? 0;
      if (process.argv.includes('--misses')) for (const m of acc.misses) console.log(`  miss: ${m}`);
    }
    console.log(`${JSON.stringify(g)}: intent ${pct(intentSum / parts.length)}, category ${pct(catSum / parts.length)} (5-fold CV on the corpus)`);
  }
  process.exit(0);
}

if (sha256(heldoutPath) !== HELDOUT_SHA256) {
  console.error(`${heldoutPath} is not the file whose hash this script records: the held-out set is never edited.`);
  process.exit(1);
}

// 1. A held-back split of the corpus: 15% (stratified), a model trained on the other 85%.
const parts = folds(featured, 20);
const splitTest = parts.slice(0, 3).flat();
const splitTrain = parts.slice(3).flat();
const splitAcc = evaluateModel(new OfflineModel(fit(splitTrain, options)), splitTest.map((x) => x.m));
console.log(`corpus: ${corpus.length} messages; held-back split ${splitTest.length} (trained on ${splitTrain.length})`);
console.log(`  split:   intent ${pct(splitAcc.intent)}  category ${pct(splitAcc.category)} of ${splitAcc.categoryN} (lexicon alone: ${pct(lexiconCategoryAccuracy(splitTest.map((x) => x.m)))})`);

// 2. The final model, on the whole corpus; its figures are computed from the file as written.
const file = fit(featured, options);
const draft = new OfflineModel(offlineModelFileSchema.parse(JSON.parse(JSON.stringify(file))));
const heldout = readLabelled(heldoutPath);
const heldAcc = evaluateModel(draft, heldout);
console.log(`  heldout: intent ${pct(heldAcc.intent)}  category ${pct(heldAcc.category)} of ${heldAcc.categoryN} (lexicon alone: ${pct(lexiconCategoryAccuracy(heldout))}), ${heldout.length} messages`);
let devAcc: ReturnType<typeof evaluateModel> | undefined;
if (existsSync(devPath)) {
  const dev = readLabelled(devPath);
  devAcc = evaluateModel(draft, dev);
  console.log(`  dev:     category ${pct(devAcc.category)} of ${devAcc.categoryN} (lexicon alone: ${pct(lexiconCategoryAccuracy(dev))}) — ${devPath}, reported only`);
} else {
  console.log(`  dev:     ${devPath} not present`);
}
const strip = ({ misses: _m, ...a }: ReturnType<typeof evaluateModel>) => a;
file.accuracy = { split: strip(splitAcc), heldout: strip(heldAcc), ...(devAcc ? { dev: strip(devAcc) } : {}) };
const json = `${JSON.stringify(file)}\n`;
writeFileSync(defaultModelPath, json);
console.log(`wrote ${defaultModelPath}: ${(json.length / 1024).toFixed(0)} KB, ${Object.keys(file.intent.weights).length} intent and ${Object.keys(file.category.weights).length} category features`);
if (process.argv.includes('--misses')) for (const m of [...splitAcc.misses]) console.log(`  split miss: ${m}`);
