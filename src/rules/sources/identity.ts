/**
 * A query's identity: its tokens (comments, whitespace and line breaks dropped), hashed. The same query
 * reached from two sources, or from two paths of one repository, is one rule with both provenances.
 */
import type * as Crypto from 'node:crypto';
import { lazyPackage } from '../../common/lazy-package.js';
import { scan } from '../../kql/syntax/scanner.js';

/** node:crypto when a hash is first made: commands that reach this module without hashing do not load it. */
const crypto = lazyPackage<typeof Crypto>('node:crypto');

export function queryIdentity(query: string): string {
  const tokens = scan(query);
  const text = tokens.filter((t) => t.kind !== 'eof').map((t) => t.text).join(' ');
  return crypto().createHash('sha256').update(text).digest('hex').slice(0, 32);
}
