import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CoreContext } from '../../core/context.ts';
import { writeAudit } from '../../core/audit/write-audit.ts';
import { requireWorker } from '../../core/roles/require-worker.ts';
import { sendHttpError } from './errors.ts';

/** Every token starts with this, so a leaked one is recognisable in logs and secret scanners. */
export const tokenPrefix = 'linli_';
/** lastUsedAt is written at most this often per token. */
const touchEveryMs = 60_000;

/** sha256 of a token, hex: the only form in which a token is stored (ApiToken.tokenHash). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Who is calling: the token's person acts, as a worker, through the core use cases. */
export interface ApiActor {
  personId: number;
  tokenId: number;
}

/**
 * The actor behind an `Authorization: Bearer <token>` header, or null when the header is missing,
 * malformed, unknown or revoked. Looks the token up by its hash (the stored hash is never compared
 * byte by byte against a secret), and records lastUsedAt at most once a minute.
 */
export async function authenticate(ctx: CoreContext, header: string | undefined): Promise<ApiActor | null> {
  const m = /^Bearer[ \t]+([A-Za-z0-9_\-.~+/=]{16,200})[ \t]*$/i.exec(header ?? '');
  if (!m?.[1]) return null;
  const row = await ctx.prisma.apiToken.findUnique({
    where: { tokenHash: hashToken(m[1]) },
    select: { id: true, personId: true, revokedAt: true, lastUsedAt: true },
  });
  if (!row || row.revokedAt) return null;
  const now = ctx.clock.now();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= touchEveryMs) {
    const stale = new Date(now.getTime() - touchEveryMs);
    await ctx.prisma.apiToken.updateMany({
      where: { id: row.id, revokedAt: null, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: stale } }] },
      data: { lastUsedAt: now },
    });
  }
  return { personId: row.personId, tokenId: row.id };
}

const actors = new WeakMap<FastifyRequest, ApiActor>();

/** An onRequest hook: 401 unless the request carries a valid token. */
export function requireToken(ctx: CoreContext) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const header = req.headers.authorization;
    if (!header) {
      await sendHttpError(req, reply, 401, 'TOKEN_MISSING');
      return;
    }
    const actor = await authenticate(ctx, header);
    if (!actor) {
      await sendHttpError(req, reply, 401, 'TOKEN_INVALID');
      return;
    }
    actors.set(req, actor);
  };
}

/** The authenticated actor of a request that passed requireToken. */
export function actorOf(req: FastifyRequest): ApiActor {
  const a = actors.get(req);
  if (!a) throw new Error('actorOf: the request was not authenticated (is requireToken registered for this route?)');
  return a;
}

/**
 * Issues an API token to a worker of a community: returns the token itself, which is shown once
 * and never stored (only its hash is). Refuses NOT_A_WORKER for anyone else. Audited without the
 * token. Not idempotent: each call makes a new token.
 */
export async function issueApiToken(
  ctx: CoreContext,
  input: { communityId: number; personId: number; name: string; actorId: number | null; via: 'chat' | 'cli' | 'api' | 'console' },
): Promise<{ id: number; token: string }> {
  await requireWorker(ctx, input.personId, input.communityId);
  const token = `${tokenPrefix}${randomBytes(32).toString('base64url')}`;
  return ctx.prisma.$transaction(async (tx) => {
    const row = await tx.apiToken.create({
      data: { name: input.name.trim().slice(0, 100) || 'api', tokenHash: hashToken(token), personId: input.personId, createdAt: ctx.clock.now() },
    });
    await writeAudit(tx, {
      communityId: input.communityId,
      actorId: input.actorId,
      via: input.via,
      action: 'apitoken.create',
      entity: 'ApiToken',
      entityId: row.id,
      after: { name: row.name, personId: input.personId },
    });
    return { id: row.id, token };
  });
}
