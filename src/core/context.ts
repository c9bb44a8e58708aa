import type { PrismaClient } from '../db/prisma.ts';

/** A clock use cases read instead of `new Date()`, so tests can set the time. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** What every use case gets: the database and the clock. No chat, no HTTP, no Redis. */
export interface CoreContext {
  prisma: PrismaClient;
  clock: Clock;
}
