// CPU profile of just the measured part of a benchmark (not start-up or seeding), through the
// inspector: `npm run bench -- inbound --cpu-prof` writes tmp/bench/<name>-<time>.cpuprofile.
// Read it with `npx tsx bench/profile-summary.ts <file>` or Chrome DevTools.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

export async function startCpuProfile(): Promise<{ stop(name: string): Promise<string> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return {
    async stop(name) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      const dir = join(process.cwd(), 'tmp', 'bench');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      return file;
    },
  };
}
