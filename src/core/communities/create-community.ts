import { z } from 'zod';
import type { CoreContext } from '../context.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { isValidTimeZone } from '../reminders/reminder-times.ts';

export const communityCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9_-]{1,31}$/, '社区码只能是字母和数字 (community code: letters and digits)');

export const createCommunityInput = z.object({
  code: communityCodeSchema,
  name: z.string().trim().min(1).max(100),
  street: z.string().trim().min(1).max(100).optional(),
  district: z.string().trim().min(1).max(100).optional(),
  /** An IANA time zone; a misspelt one would put every reminder at the wrong hour, so it is refused here. */
  timezone: z
    .string()
    .trim()
    .refine(isValidTimeZone, 'time zone is not an IANA zone such as Asia/Shanghai')
    .optional(),
});
export type CreateCommunityInput = z.input<typeof createCommunityInput>;

/**
 * Creates a community, and its street and district by name when they are new. Running it again
 * with the same code updates the name and parents (safe to retry).
 */
export async function createCommunity(ctx: CoreContext, input: CreateCommunityInput, actorId?: number) {
  const i = createCommunityInput.parse(input);
  return ctx.prisma.$transaction(async (tx) => {
    const district = i.district
      ? await tx.district.upsert({ where: { code: i.district }, create: { code: i.district, name: i.district }, update: {} })
      : null;
    const street = i.street
      ? await tx.street.upsert({
          where: { code: i.street },
          create: { code: i.street, name: i.street, districtId: district?.id ?? null },
          update: district ? { districtId: district.id } : {},
        })
      : null;
    const community = await tx.community.upsert({
      where: { code: i.code },
      create: { code: i.code, name: i.name, streetId: street?.id ?? null, ...(i.timezone ? { timezone: i.timezone } : {}) },
      update: { name: i.name, ...(street ? { streetId: street.id } : {}), ...(i.timezone ? { timezone: i.timezone } : {}) },
    });
    await writeAudit(tx, {
      communityId: community.id,
      actorId,
      via: 'cli',
      action: 'community.create',
      entity: 'Community',
      entityId: community.id,
      after: { code: community.code, name: community.name, street: street?.name ?? null, district: district?.name ?? null },
    });
    return community;
  });
}
