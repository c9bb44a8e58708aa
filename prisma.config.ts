import { defineConfig } from 'prisma/config';

// The Prisma CLI's own configuration. Linli applies prisma/migrations itself at start
// (src/db/migrate.ts); `prisma migrate deploy` works too on a machine that can fetch Prisma's engine.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/linli' },
});
