import type { Platform } from './types.ts';

/**
 * Every platform's published sending limits, in one place. The outbound queue honours them:
 * `overall` through BullMQ's worker limiter, the per-chat ones through Redis counters.
 */
export interface PlatformLimits {
  /** Messages per `perMs` for the whole bot account. */
  overall: { max: number; perMs: number };
  /** Per chat, each a window; a group chat has `group` limits on top. */
  perChat: Array<{ max: number; perMs: number }>;
  perGroup: Array<{ max: number; perMs: number }>;
}

export const platformLimits: Record<Platform, PlatformLimits> = {
  // The built-in web chat: our own server, limited only so a runaway loop cannot flood a page.
  web: { overall: { max: 500, perMs: 1000 }, perChat: [{ max: 20, perMs: 1000 }], perGroup: [] },
  // Telegram Bot API: 30/s overall, about 1/s per chat, 20/min per group.
  telegram: {
    overall: { max: 30, perMs: 1000 },
    perChat: [{ max: 1, perMs: 1000 }],
    perGroup: [{ max: 20, perMs: 60_000 }],
  },
  // WeChat through a puppet: no published figure; personal accounts are banned for bursts, so slow.
  wechat: { overall: { max: 5, perMs: 1000 }, perChat: [{ max: 1, perMs: 1000 }], perGroup: [{ max: 20, perMs: 60_000 }] },
  // WeCom: group robot 20/min per robot (per chat here), app messages 30/min per member.
  wecom: { overall: { max: 30, perMs: 1000 }, perChat: [{ max: 30, perMs: 60_000 }], perGroup: [{ max: 20, perMs: 60_000 }] },
};
