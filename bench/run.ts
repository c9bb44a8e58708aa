// `npm run bench [-- <name> … ] [--queries]`: runs the benchmarks one after another, each in a
// process of its own (so its memory figures are its own), each printing its own block.
// To add one, write bench/<name>.ts that runs itself when executed (it gets this command's --flags
// as its argv), prints its own block and exits non-zero on failure; then list it below.
//
// CPU profile: `node --import tsx --cpu-prof --cpu-prof-dir=tmp/prof bench/run.ts inbound`
// (flags given to node reach every benchmark process).
import { spawn } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const benchmarks: Array<{ name: string; file: string; about: string }> = [
  { name: 'inbound', file: 'inbound.ts', about: 'web chat → router → core → Postgres → outbound queue' },
  { name: 'broadcasts', file: 'broadcasts.ts', about: 'broadcasts against Telegram and WeCom limits; sign-ups under contention' },
  { name: 'reminders', file: 'reminders.ts', about: '100,000 reminders due within 60 s: lateness p50/p99, rate into the outbound queue, exactly once' },
  { name: 'signups', file: 'signups.ts', about: 'the rush on sign-ups: 5,000 people for one 100-place shift and for 100 shifts; sign-ups/s, p99, waitlist order' },
  { name: 'busygroup', file: 'busy-group.ts', about: 'replies in busy Telegram groups at the real limits: the first 5 of a burst at once, 0 × 429 (--long: 10 minutes)' },
  { name: 'votes', file: 'votes.ts', about: '微创投: a 10,000-voter burst, 3 votes each and a 4th refused: votes/s, p99, the limit held' },
  { name: 'scaleout', file: 'scaleout.ts', about: '2 web, 2 workers, 1 bots process against 1 process: inbound msg/s, a broadcast, 429s, duplicates, RSS per process' },
  { name: 'understanding', file: 'understanding.ts', about: 'offline understander over the corpus: messages/s on one core, latency p99' },
];

const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith('-'));
const flags = args.filter((a) => a.startsWith('-'));
const unknown = names.filter((n) => !benchmarks.some((b) => b.name === n));
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${benchmarks.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
const selected = names.length ? benchmarks.filter((b) => names.includes(b.name)) : benchmarks;

console.log(`Linli benchmarks — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model.trim() ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GB`);
let failed = 0;
for (const b of selected) {
  const t0 = performance.now();
  console.log('');
  const code = await new Promise<number>((resolve) => {
    // The same heap limit as `npm start`, so memory figures are what production would see.
    const heap = process.execArgv.some((a) => a.startsWith('--max-old-space-size')) ? [] : ['--max-old-space-size=256'];
    const child = spawn(process.execPath, [...heap, ...process.execArgv, fileURLToPath(new URL(b.file, import.meta.url)), ...flags], { stdio: 'inherit' });
    child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });
  console.log(`  (${b.name}: ${((performance.now() - t0) / 1000).toFixed(1)} s${code ? `, FAILED with exit code ${code}` : ''})`);
  if (code) failed++;
}
process.exitCode = failed ? 1 : 0;
