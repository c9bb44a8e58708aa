// Summarises a V8 .cpuprofile (from `node --cpu-prof`): where self time went, by package / project
// file and by function, plus the inclusive time of the project's own functions.
//
//   node --import tsx --cpu-prof --cpu-prof-dir=tmp/prof bench/run.ts inbound
//   npx tsx bench/profile-summary.ts tmp/prof/<the largest>.cpuprofile [top=25]
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: Node[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Self time per node from the samples and their time deltas (µs).
const self = new Map<number, number>();
for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);

function where(url: string): string {
  if (!url) return '(native/vm)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node:internal';
  const m = /\/(src|jobs|bench|tests)\/(.*)$/.exec(url);
  return m ? `${m[1]}/${m[2]}` : url.replace(/^file:\/\//, '');
}

const label = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
const special = (n: Node) => ['(idle)', '(program)', '(garbage collector)'].includes(n.callFrame.functionName);

const byWhere = new Map<string, number>();
const byFn = new Map<string, number>();
for (const [id, us] of self) {
  const n = byId.get(id)!;
  const w = special(n) ? n.callFrame.functionName : where(n.callFrame.url);
  byWhere.set(w, (byWhere.get(w) ?? 0) + us);
  const f = special(n) ? n.callFrame.functionName : label(n);
  byFn.set(f, (byFn.get(f) ?? 0) + us);
}

// Inclusive time of project functions (src/ and jobs/): a sample counts once per distinct frame on its stack.
const inclusive = new Map<string, number>();
for (const [id, us] of self) {
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const n = byId.get(cur)!;
    const w = where(n.callFrame.url);
    if (!/^(src|jobs)\//.test(w) && !/^(@prisma\/client|bullmq|ioredis|pg|zod|opencc-js|rate-limiter-flexible)$/.test(w)) continue;
    const key = /^(src|jobs)\//.test(w) ? label(n) : `[${w}]`;
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  }
}

const fmt = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%`;
const busy = total - (byWhere.get('(idle)') ?? 0);
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s not idle`);
console.log('\nself time by package / file:');
for (const [k, v] of [...byWhere].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${fmt(v)}  ${k}`);
console.log('\nself time by function:');
for (const [k, v] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${fmt(v)}  ${k}`);
console.log('\ninclusive time (project functions, and whole libraries as [name]):');
for (const [k, v] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${fmt(v)}  ${k}`);
