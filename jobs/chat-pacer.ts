import type { Redis } from 'ioredis';

/** "At most `max` messages in any `perMs`", a platform's limit for one chat. */
export interface PaceWindow {
  max: number;
  perMs: number;
}

export interface ChatPaceOptions {
  /** The steady gap between two sends (GCRA's emission interval); 0: no pacing at all. */
  intervalMs: number;
  /** Sends a quiet chat may make at once (GCRA's burst); 1: evenly spaced, no burst. */
  burst: number;
  /**
   * Hard limits, each kept exactly over a sliding window: no `perMs` (from any instant) ever holds
   * more than `max` of this chat's slots. Give the window already scaled and with any margin.
   */
  windows: PaceWindow[];
}

/**
 * Each send reserves its chat's next slot, atomically in Redis; the caller waits until its slot.
 * The slot is the earliest time that satisfies, together:
 *
 * 1. order: not before the chat's last slot (replies to one chat keep their order);
 * 2. GCRA with a burst: with emission interval T and burst B, not before TAT − (B−1)·T, where TAT
 *    (the theoretical arrival time) moves to max(TAT, slot) + T with each send. A chat quiet for
 *    (B−1)·T has B sends at once; a busy chat gets one every T, as evenly spaced sends did before;
 * 3. a sliding-window log per hard window (max M per W): the chat's last slots are kept (as many as
 *    the largest M), and a slot is not before the M-th most recent one + W, so the window ending
 *    at the new slot holds at most M. GCRA alone lets B − 1 more than W/T through in a window (a
 *    burst, then the steady rate); the log is what makes "at most M in any W" exact.
 *
 * Each bound only ever asks for a later time and a later time never breaks one, so their maximum
 * satisfies all three. Counter-based limiters (fixed windows) let M through at the end of one
 * window and M more at the start of the next, which a platform counting a sliding minute answers
 * with 429s; this cannot (tests/jobs/chat-pacer.test.ts checks it over random arrival patterns).
 *
 * KEYS[1]: the chat's TAT, KEYS[2]: its log (a list of slots, oldest first).
 * ARGV: now, T, B, how many slots to keep, then M1, W1, M2, W2, …
 */
const reserveScript = `
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local keep = tonumber(ARGV[4])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, tat - (burst - 1) * interval)
local longest = 0
if keep > 0 then
  local last = redis.call('LINDEX', KEYS[2], -1)
  if last then slot = math.max(slot, tonumber(last)) end
  for i = 5, #ARGV, 2 do
    local max = tonumber(ARGV[i])
    local span = tonumber(ARGV[i + 1])
    if span > longest then longest = span end
    local mth = redis.call('LINDEX', KEYS[2], -max)
    if mth then slot = math.max(slot, tonumber(mth) + span) end
  end
end
tat = math.max(tat, slot) + interval
local ttl = math.ceil(math.max(tat, slot + longest) - now) + 1000
redis.call('SET', KEYS[1], tat, 'PX', ttl)
if keep > 0 then
  redis.call('RPUSH', KEYS[2], slot)
  redis.call('LTRIM', KEYS[2], -keep, -1)
  redis.call('PEXPIRE', KEYS[2], ttl)
end
return slot
`;

export class ChatPacer {
  readonly intervalMs: number;
  readonly burst: number;
  readonly windows: readonly PaceWindow[];
  private readonly args: string[];

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    opts: ChatPaceOptions,
  ) {
    if (!('linliReservePace' in redis)) redis.defineCommand('linliReservePace', { numberOfKeys: 2, lua: reserveScript });
    this.intervalMs = opts.intervalMs;
    this.burst = Math.max(1, Math.floor(opts.burst));
    this.windows = opts.windows.filter((w) => w.max > 0 && w.perMs > 0);
    const keep = Math.max(0, ...this.windows.map((w) => w.max));
    this.args = [String(this.intervalMs), String(this.burst), String(keep), ...this.windows.flatMap((w) => [String(w.max), String(w.perMs)])];
  }

  /** Whether sends through this pacer ever wait. */
  get paces(): boolean {
    return this.intervalMs > 0 || this.windows.length > 0;
  }

  /** Reserves this chat's next slot; returns its time (epoch ms). Now, when the chat may send now. */
  async reserve(chatId: string, now = Date.now()): Promise<number> {
    const key = `${this.keyPrefix}:${chatId}`;
    // EVALSHA once Redis has the script (ioredis falls back to EVAL when it does not).
    const slot = await (this.redis as Redis & { linliReservePace(...args: string[]): Promise<number> }).linliReservePace(key, `${key}:log`, String(now), ...this.args);
    return Number(slot);
  }
}

/** The gap that keeps `max` per `perMs` in every window of that length, with 1% to spare. */
export function paceFor(limit: { max: number; perMs: number }, scale = 1): number {
  return Math.ceil((limit.perMs / (limit.max * scale)) * 1.01);
}

/**
 * A platform window as the log keeps it: its length scaled like paceFor (benchmarks run time ×
 * `scale` faster), plus 2% and 25 ms to spare (1.2 s of a minute), so a send that leaves a little
 * early (a delayed job is taken up to 20 ms early) while the one 20 before it reached the platform
 * late (a loaded process, a slow network) still lands outside the window the platform counts.
 */
export function hardWindow(limit: { max: number; perMs: number }, scale = 1): PaceWindow {
  return { max: limit.max, perMs: Math.ceil((limit.perMs / scale) * 1.02) + 25 };
}
