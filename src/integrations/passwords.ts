/** Password hashing with argon2id (@node-rs/argon2: no install script; OWASP minimum parameters). */
import { hash, verify } from '@node-rs/argon2';

/** Hashes a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return hash(password); // the library's default algorithm is argon2id
}

/** Verifies a password against an argon2 hash; false on any malformed hash. */
export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}
