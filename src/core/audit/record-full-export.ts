import type { CoreContext } from '../context.ts';
import { requireWorker } from '../roles/require-worker.ts';
import { writeAudit } from './write-audit.ts';

/**
 * A worker takes personal data out of the system unmasked (a "full" export with whole phone
 * numbers): only a worker of the community may, and it is recorded (AuditLog `export.full`: who,
 * what, how many rows, why) before the file is handed over. Masked exports are not recorded.
 */
export async function recordFullExport(
  ctx: CoreContext,
  input: { communityId: number; actorId: number; kind: string; format: string; rows: number; reason: string; via: 'api' | 'console' },
): Promise<void> {
  await requireWorker(ctx, input.actorId, input.communityId);
  await writeAudit(ctx.prisma, {
    communityId: input.communityId,
    actorId: input.actorId,
    via: input.via,
    action: 'export.full',
    entity: 'Export',
    entityId: input.kind,
    before: { masked: true },
    after: { masked: false, kind: input.kind, format: input.format, rows: input.rows, reason: input.reason.slice(0, 200) },
  });
}
