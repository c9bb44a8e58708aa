import { z } from 'zod';

/** The largest id or number PostgreSQL's `integer` holds (2^31 - 1): every id column is one. */
export const maxId = 2_147_483_647;

/** An id or a number residents type (#12) in a JSON body: an integer 1..2^31-1. */
export const idNumber = z.number().int().min(1).max(maxId);

/** The same from a path or a query string ("12"): coerced, then held to the same range. */
export const idParam = z.coerce.number().pipe(idNumber);

/** An id from a path parameter or a form field, or null when it cannot be one (not a number, out of range). */
export function parseId(value: unknown): number | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  if (typeof value === 'string' && !/^\s*\d{1,10}\s*$/.test(value)) return null;
  const r = idParam.safeParse(value);
  return r.success ? r.data : null;
}
