/**
 * extent_id() of a workspace extent: a guid, as Kusto's extent ids are. kqlite names an extent by its folder
 * (`e-<time>-<seq>-<pid>-<thread>-<rand>`, unique in its table), so the guid is derived from the table and
 * that name: the first 16 bytes of their SHA-1 in RFC 4122's name-based layout (version 5). The same extent
 * always has the same id, two extents never share one, and a compaction's new extent gets a new one.
 */
import type * as Crypto from 'node:crypto';
import { lazyPackage } from '../common/lazy-package.js';

// loaded when an extent_id() is first asked for, not by every command that opens a workspace
const crypto = lazyPackage<typeof Crypto>('node:crypto');

export function extentGuid(table: string, extentId: string): string {
  const b = crypto().createHash('sha1').update(`kqlite-extent\u0000${table}\u0000${extentId}`).digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
