import type { Redis } from 'ioredis';

/**
 * Spaces a chat's messages evenly, so a platform's "N per period" holds in any window, however the
 * platform counts: each send reserves the chat's next free slot (at least `intervalMs` after the
 * previous one) atomically in Redis, and the caller waits until its slot. Counter-based limiters
 * (fixed windows) let N through at the end of one window and N more at the start of the next,
 * which a platform counting a sliding minute answers with 429s; reserving slots cannot.
 * (GCRA with a burst of one.)
 */
const reserveScript = `
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, last + interval)
redis.call('SET', KEYS[1], slot, 'PX', math.ceil(slot - now + interval))
return slot
`;

export class ChatPacer {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    /** Minimum gap between two sends to one chat. */
    readonly intervalMs: number,
  ) {}

  /** Reserves this chat's next slot; returns its time (epoch ms). Now, when the chat is idle. */
  async reserve(chatId: string, now = Date.now()): Promise<number> {
    const slot = await this.redis.eval(reserveScript, 1, `${this.keyPrefix}:${chatId}`, String(now), String(this.intervalMs));
    return Number(slot);
  }
}

/** The gap that keeps `max` per `perMs` in every window of that length, with 1% to spare. */
export function paceFor(limit: { max: number; perMs: number }, scale = 1): number {
  return Math.ceil((limit.perMs / (limit.max * scale)) * 1.01);
}
