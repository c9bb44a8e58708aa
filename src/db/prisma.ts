import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.ts';

export type { PrismaClient } from '../generated/prisma/client.ts';
export { Prisma } from '../generated/prisma/client.ts';

/** A transaction client, as `prisma.$transaction(async (tx) => …)` hands it over. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
/** Either the client or a transaction: use cases accept both so they can be composed. */
export type Db = PrismaClient | Tx;

export interface DatabaseHandle {
  prisma: PrismaClient;
  /** The pg pool behind Prisma, for the few raw statements Prisma cannot express. */
  pool: pg.Pool;
  schema: string;
  close(): Promise<void>;
}

/**
 * Opens Prisma over a pg pool (Prisma 7 driver adapter). `schema` sets both Prisma's generated
 * queries and the pool's search_path, so a test can work in a schema of its own.
 */
export function openDatabase(url: string, opts: { schema?: string; max?: number } = {}): DatabaseHandle {
  const schema = opts.schema ?? 'public';
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 20,
    options: `-c search_path="${schema}"`,
  });
  pool.on('error', () => {
    // an idle client lost its connection; the pool replaces it on the next checkout
  });
  // Transactions that queue on one hot row (a popular shift) wait their turn instead of failing.
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool, { schema }), transactionOptions: { maxWait: 20_000, timeout: 30_000 } });
  return {
    prisma,
    pool,
    schema,
    async close() {
      await prisma.$disconnect();
      await pool.end().catch(() => undefined);
    },
  };
}

/** Whether an error is a unique-constraint violation (Prisma P2002, or Postgres 23505 underneath). */
export function isUniqueViolation(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const x = e as { code?: unknown; cause?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } };
  return x.code === 'P2002' || x.code === '23505' || x.meta?.driverAdapterError?.cause?.originalCode === '23505';
}
