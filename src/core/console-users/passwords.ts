import { randomBytes, randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/**
 * Console passwords are stored as argon2id PHC strings (`$argon2id$v=19$m=19456,t=2,p=1$…`), the
 * parameters OWASP's Password Storage Cheat Sheet gives as the argon2id baseline (19 MiB, 2
 * passes, 1 lane): ~100 ms on this machine's cores, off the event loop (@node-rs/argon2 hashes on
 * libuv's thread pool). The parameters live in each hash, so raising them later needs no migration.
 */
// @node-rs/argon2's default algorithm is argon2id (its Algorithm enum is a const enum, which this
// project's verbatimModuleSyntax cannot import); the test checks the hashes say `$argon2id$`.
const params = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Shortest password a person may choose. */
export const minPasswordLength = 10;

/** An argon2id hash of the password (salted; a new salt each call). */
export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFKC'), params);
}

// A hash of a random secret, verified against when the login is unknown, so an unknown login takes
// as long as a wrong password (no telling which accounts exist by timing).
let decoy: Promise<string> | undefined;

/** Whether the password matches the hash; with a null hash, spends the same time and answers false. */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  const h = stored ?? (await (decoy ??= hash(randomBytes(16).toString('hex'), params)));
  try {
    const ok = await verify(h, password.normalize('NFKC'));
    return stored !== null && ok;
  } catch {
    return false;
  }
}

/** A password for a new account or a reset: 16 characters, no look-alikes (0/O, 1/l/I). ~93 bits. */
export function generatePassword(length = 16): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}

/** Why a chosen password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, login: string): 'short' | 'same_as_login' | null {
  if ([...password].length < minPasswordLength) return 'short';
  if (password.trim().toLowerCase() === login.trim().toLowerCase()) return 'same_as_login';
  return null;
}
