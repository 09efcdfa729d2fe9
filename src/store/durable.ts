/**
 * Writing files so that they survive a crash: the bytes are flushed to the disk (fsync) before the name that
 * makes them count is given, and the folder holding a new name is flushed too. A file replaced by
 * `writeFileDurable` is either wholly the old one or wholly the new one after a crash, never a mix.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { faultPoint } from '../common/faults.js';

/** Flushes a file's (or a folder's) contents and metadata to the disk. */
export function fsyncPath(path: string, folder = false): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    // some systems refuse to open a folder for reading; its entries then go to disk with the next sync
    if (folder && ((e as NodeJS.ErrnoException).code === 'EISDIR' || (e as NodeJS.ErrnoException).code === 'EPERM')) return;
    throw e;
  }
  try {
    fsyncSync(fd);
  } catch (e) {
    // folders cannot be fsync-ed on every system (EINVAL, EPERM): the rename is still atomic there
    if (!folder) throw e;
  } finally {
    closeSync(fd);
  }
}

/** Writes `data` to a new file `path` and flushes it (the caller names it into place). */
export function writeNewFile(path: string, data: string | Uint8Array, point?: string): void {
  const fd = openSync(path, 'wx');
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (point) faultPoint(point);
    for (let at = 0; at < bytes.byteLength; ) at += writeSync(fd, bytes, at, Math.min(bytes.byteLength - at, 1 << 20));
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(path, { force: true });
    throw e;
  }
  closeSync(fd);
}

let temps = 0;

/** Replaces `path` atomically: a temporary sibling written and flushed, renamed over it, the folder flushed. */
export function writeFileDurable(path: string, data: string | Uint8Array, point?: string): void {
  const tmp = `${path}.tmp-${process.pid}-${++temps}`;
  writeNewFile(tmp, data, point);
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  fsyncPath(dirname(path), true);
}
