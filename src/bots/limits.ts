import type { Platform } from './types.ts';

/**
 * Every platform's published sending limits, in one place. The outbound queue honours them:
 * `overall` through BullMQ's worker limiter, the per-chat ones through a pacer in Redis
 * (jobs/chat-pacer.ts: GCRA with a burst, and a sliding-window log for each hard window).
 */
export interface PlatformLimits {
  /** Messages per `perMs` for the whole bot account. */
  overall: { max: number; perMs: number };
  /** Per chat, each a window; a group chat has `group` limits on top. */
  perChat: Array<{ max: number; perMs: number }>;
  perGroup: Array<{ max: number; perMs: number }>;
  /**
   * Replies a quiet group may send at once (the outbound queue's GCRA burst, jobs/chat-pacer.ts).
   * The per-group windows, and per-chat ones a burst does not itself break, stay exact over any
   * sliding window; a per-chat window smaller than the burst (Telegram's "about 1 a second", whose
   * FAQ says short bursts over it are allowed) paces the steady rate only. 1: no burst.
   */
  groupBurst: number;
}

export const platformLimits: Record<Platform, PlatformLimits> = {
  // The built-in web chat: our own server, limited only so a runaway loop cannot flood a page.
  web: { overall: { max: 500, perMs: 1000 }, perChat: [{ max: 20, perMs: 1000 }], perGroup: [], groupBurst: 5 },
  // Telegram Bot API: 30/s overall, about 1/s per chat, 20/min per group.
  telegram: {
    overall: { max: 30, perMs: 1000 },
    perChat: [{ max: 1, perMs: 1000 }],
    perGroup: [{ max: 20, perMs: 60_000 }],
    groupBurst: 5,
  },
  // WeChat through a puppet: no published figure; personal accounts are banned for bursts, so slow.
  wechat: { overall: { max: 5, perMs: 1000 }, perChat: [{ max: 1, perMs: 1000 }], perGroup: [{ max: 20, perMs: 60_000 }], groupBurst: 1 },
  // WeCom: group robot 20/min per robot (per chat here), app messages 30/min per member.
  wecom: { overall: { max: 30, perMs: 1000 }, perChat: [{ max: 30, perMs: 60_000 }], perGroup: [{ max: 20, perMs: 60_000 }], groupBurst: 5 },
};
