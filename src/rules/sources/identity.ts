/**
 * A query's identity: its tokens (comments, whitespace and line breaks dropped), hashed. The same query
 * reached from two sources, or from two paths of one repository, is one rule with both provenances.
 */
import { createHash } from 'node:crypto';
import { scan } from '../../kql/syntax/scanner.js';

export function queryIdentity(query: string): string {
  const tokens = scan(query);
  const text = tokens.filter((t) => t.kind !== 'eof').map((t) => t.text).join(' ');
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
