/**
 * A small multinomial logistic regression (softmax) over sparse binary features, trained with
 * seeded SGD: the same data and seed give the same weights, bit for bit. Pure: no I/O.
 * The stored form ({@link LinearModel}) is JSON-safe.
 */

export interface LinearModel {
  classes: string[];
  bias: number[];
  /** feature name → one weight per class; features absent here weigh nothing. */
  weights: Record<string, number[]>;
}

export interface Example {
  features: readonly string[];
  label: string;
}

export interface TrainOptions {
  seed: number;
  epochs: number;
  /** Initial learning rate; it decays as rate / (1 + epoch * decay). */
  rate: number;
  decay: number;
  /** L2 penalty per update on the weights an example touches. */
  l2: number;
  /** A feature seen in fewer training examples than this is left out. */
  minCount: number;
  /** After training, a feature whose largest |weight| is below this is dropped (a smaller file). */
  prune: number;
  /** Weights are rounded to this many decimals. */
  decimals: number;
  /** Weigh each example by 1/√(its class's share), so small classes are not swallowed by big ones. */
  balance: boolean;
}

export interface Prediction {
  label: string;
  /** The softmax probability of `label`. */
  p: number;
  /** Probabilities per class, in `classes` order. */
  probs: number[];
}

import { seededRandom } from '../../lib/seeded-random.ts';
export { seededRandom };

/** Fisher–Yates with the given random source; returns a new array. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

function softmax(scores: Float64Array): number[] {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  const out = new Array<number>(scores.length);
  for (let i = 0; i < scores.length; i++) {
    const e = Math.exp(scores[i]! - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

/** The class probabilities of a message's features. Features are weighted 1/√n (n = how many). */
export function predict(model: LinearModel, features: readonly string[]): Prediction {
  const c = model.classes.length;
  const scores = Float64Array.from(model.bias);
  const x = features.length ? 1 / Math.sqrt(features.length) : 0;
  for (const f of features) {
    const w = model.weights[f];
    if (w === undefined) continue;
    for (let k = 0; k < c; k++) scores[k]! += w[k]! * x;
  }
  const probs = softmax(scores);
  let best = 0;
  for (let k = 1; k < c; k++) if (probs[k]! > probs[best]!) best = k;
  return { label: model.classes[best]!, p: probs[best]!, probs };
}

/** Trains a model on `examples` (every label must be one of `classes`). Deterministic. */
export function train(examples: readonly Example[], classes: readonly string[], opts: TrainOptions): LinearModel {
  const c = classes.length;
  const classIndex = new Map(classes.map((k, i) => [k, i]));
  const counts = new Map<string, number>();
  for (const e of examples) for (const f of new Set(e.features)) counts.set(f, (counts.get(f) ?? 0) + 1);
  const vocab = new Map<string, Float64Array>();
  for (const [f, n] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    if (n >= opts.minCount) vocab.set(f, new Float64Array(c));
  }
  const bias = new Float64Array(c);
  const random = seededRandom(opts.seed);
  const rows = examples.map((e) => {
    const y = classIndex.get(e.label);
    if (y === undefined) throw new Error(`label ${e.label} is not a class`);
    const ws = [...new Set(e.features)].filter((f) => vocab.has(f)).map((f) => vocab.get(f)!);
    return { y, ws };
  });
  const perClass = new Float64Array(c);
  for (const r of rows) perClass[r.y]!++;
  const classWeight = Array.from(perClass, (n) => (opts.balance && n > 0 ? Math.sqrt(rows.length / c / n) : 1));
  const scores = new Float64Array(c);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    const rate = opts.rate / (1 + epoch * opts.decay);
    for (const { y, ws } of shuffled(rows, random)) {
      const x = ws.length ? 1 / Math.sqrt(ws.length) : 0;
      scores.set(bias);
      for (const w of ws) for (let k = 0; k < c; k++) scores[k]! += w[k]! * x;
      const p = softmax(scores);
      for (let k = 0; k < c; k++) {
        const g = (p[k]! - (k === y ? 1 : 0)) * classWeight[y]!;
        bias[k]! -= rate * g;
        for (const w of ws) w[k] = w[k]! * (1 - rate * opts.l2) - rate * g * x;
      }
    }
  }
  const scale = 10 ** opts.decimals;
  const round = (v: number) => Math.round(v * scale) / scale;
  const weights: Record<string, number[]> = {};
  for (const [f, w] of vocab) {
    let max = 0;
    for (const v of w) max = Math.max(max, Math.abs(v));
    if (max >= opts.prune) weights[f] = Array.from(w, round);
  }
  return { classes: [...classes], bias: Array.from(bias, round), weights };
}
