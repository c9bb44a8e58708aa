/**
 * The environment without libfaketime's variables, for the services and browsers a test starts
 * itself (redis-server, Chromium): they run on the real clock, as the shared Postgres and Redis do,
 * while the code under test reads the shifted one under `faketime -f '+400d' npm test`.
 * (redis-server fails at start under libfaketime.)
 */
export function realClockEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  delete out.FAKETIME;
  delete out.FAKETIME_NO_CACHE;
  delete out.DONT_FAKE_MONOTONIC;
  if (out.LD_PRELOAD?.includes('faketime')) delete out.LD_PRELOAD;
  return out;
}
