/**
 * The token rule: on a loopback host the API is open to the local user (unless a token was given anyway);
 * on any other host every /api/ request must carry `Authorization: Bearer <token>`, else 401.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The token the server demands, or undefined when requests need none. */
export function requiredToken(host: string, given: string | undefined): string | undefined {
  if (given) return given;
  return isLoopback(host) ? undefined : newToken();
}

export function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return false;
  const a = Buffer.from(m[1]!);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
