/**
 * One HTTP(S) GET, synchronously: the query engine runs synchronously (a query or a whole hunt is one
 * call), so externaldata's download runs on a short-lived worker thread while this thread waits on a
 * shared flag (Atomics.wait) and then takes the answer off a message port (receiveMessageOnPort). The
 * worker enforces the caps: the body is read in chunks (decoded) and dropped past maxBytes, and the request is
 * aborted at timeoutMs. Unless allowed, it reaches public addresses only (server-side request forgery: a
 * query or a synced rule must not read 169.254.169.254's cloud credentials or services on this machine).
 */
import type * as WorkerThreads from 'node:worker_threads';
import { lazyPackage } from '../common/lazy-package.js';

export type FetchOutcome =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; reason: 'http'; status: number; statusText: string }
  | { ok: false; reason: 'size'; bytes: number }
  | { ok: false; reason: 'timeout' }
  | { ok: false; reason: 'network'; message: string }
  /** The address is one externaldata may not reach (loopback, private, link-local) or a redirect left http(s). */
  | { ok: false; reason: 'refused'; message: string };

/** node:worker_threads when a download first runs: a hunt or query that fetches nothing never loads it. */
const workerThreads = lazyPackage<typeof WorkerThreads>('node:worker_threads');

// CommonJS, run with eval: no file to locate from dist/ or from source.
// Node's http/https rather than fetch: the address a name resolves to is checked in the socket's own lookup,
// so the address checked is the address connected to (a name that resolves to a public address when checked
// and to 127.0.0.1 when connecting cannot slip through), and each redirect is checked again.
const WORKER = `
const { workerData } = require('node:worker_threads');
const http = require('node:http'), https = require('node:https'), dns = require('node:dns'), net = require('node:net'), zlib = require('node:zlib');
const { url, maxBytes, timeoutMs, allowPrivate, flag, port } = workerData;
const done = (msg, transfer) => { port.postMessage(msg, transfer || []); Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); };
// loopback, private, link-local (cloud metadata at 169.254.169.254), shared, unspecified, multicast, reserved;
// IPv6: unspecified, loopback, IPv4-compatible and -mapped, NAT64, 6to4, unique-local, link-local, multicast
const blocked = new net.BlockList();
for (const [a, p] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 3]]) blocked.addSubnet(a, p, 'ipv4');
for (const [a, p] of [['::', 96], ['::ffff:0:0', 96], ['64:ff9b::', 96], ['2002::', 16], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8]]) blocked.addSubnet(a, p, 'ipv6');
const isBlocked = (address) => { const f = net.isIP(address); return f === 0 || blocked.check(address, f === 6 ? 'ipv6' : 'ipv4'); };
class Refused extends Error {}
const refusal = (host, address) => new Refused(host + (address && address !== host ? ' resolves to ' + address + ', which' : '') + ' is a loopback, private or link-local address (allow it with "externalData": {"allowPrivateNetwork": true} in the workspace config.json)');
function guardedLookup(host, options, cb) {
  dns.lookup(host, { ...options, all: true }, (err, addresses) => {
    if (err) return cb(err);
    const bad = addresses.find((a) => isBlocked(a.address));
    if (bad) return cb(refusal(host, bad.address));
    if (options && options.all) return cb(null, addresses);
    cb(null, addresses[0].address, addresses[0].family);
  });
}
function get(target, signal) {
  return new Promise((resolve, reject) => {
    const u = new URL(target);
    const host = u.hostname.replace(/^\\[|\\]$/g, '');
    if (!allowPrivate && net.isIP(host) && isBlocked(host)) return reject(refusal(host));
    const lib = u.protocol === 'https:' ? https : http;
    const req = lib.get(u, { signal, headers: { 'user-agent': 'kqlite externaldata', 'accept-encoding': 'gzip, deflate, br' }, ...(allowPrivate ? {} : { lookup: guardedLookup }) }, resolve);
    req.on('error', reject);
  });
}
(async () => {
  const ctl = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; ctl.abort(); }, timeoutMs);
  try {
    let target = url, res;
    for (let hops = 0; ; hops++) {
      res = await get(target, ctl.signal);
      // aborting (the size cap, a bad status) makes the response emit an AbortError after the answer is given:
      // unheard, it would be the worker's uncaught exception
      res.on('error', () => {});
      const location = res.headers.location;
      if (![301, 302, 303, 307, 308].includes(res.statusCode) || !location) break;
      res.resume();
      if (hops >= 5) throw new Error('more than 5 redirects');
      target = new URL(location, target).href;
      if (!/^https?:$/.test(new URL(target).protocol)) throw new Refused('it redirects to ' + new URL(target).protocol + ', not http or https');
    }
    if (res.statusCode < 200 || res.statusCode > 299) { ctl.abort(); return done({ ok: false, reason: 'http', status: res.statusCode, statusText: res.statusMessage || '' }); }
    const declared = Number(res.headers['content-length']);
    if (declared > maxBytes) { ctl.abort(); return done({ ok: false, reason: 'size', bytes: declared }); }
    const encoding = String(res.headers['content-encoding'] || '').trim().toLowerCase();
    const decoder = encoding === 'gzip' || encoding === 'x-gzip' ? zlib.createGunzip() : encoding === 'deflate' ? zlib.createInflate() : encoding === 'br' ? zlib.createBrotliDecompress() : undefined;
    const body = decoder ? res.pipe(decoder) : res;
    if (decoder) res.on('error', (e) => decoder.destroy(e));
    // counted as decoded: a small compressed answer cannot unpack past the cap
    const chunks = [];
    let total = 0;
    for await (const c of body) {
      total += c.length;
      if (total > maxBytes) { ctl.abort(); return done({ ok: false, reason: 'size', bytes: total }); }
      chunks.push(c);
    }
    const buf = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) { buf.set(c, at); at += c.length; }
    done({ ok: true, bytes: buf }, [buf.buffer]);
  } catch (e) {
    if (timedOut) return done({ ok: false, reason: 'timeout' });
    if (e instanceof Refused) return done({ ok: false, reason: 'refused', message: e.message });
    done({ ok: false, reason: 'network', message: String((e && e.cause && e.cause.message) || (e && e.message) || e) });
  } finally {
    clearTimeout(timer);
  }
})();
`;

/** `allowPrivate`: whether loopback, private and link-local addresses may be reached (off: only public ones). */
export function fetchSync(url: string, maxBytes: number, timeoutMs: number, allowPrivate = false): FetchOutcome {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { MessageChannel, receiveMessageOnPort, Worker } = workerThreads();
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER, { eval: true, workerData: { url, maxBytes, timeoutMs, allowPrivate, flag, port: port2 }, transferList: [port2] });
  // whatever the worker throws after it answered (or after it was given up on) is not this caller's: the
  // outcome is the message alone, and an unheard worker error would end the whole process
  worker.on('error', () => {});
  try {
    // the worker's own timer ends the request; the extra second covers its start-up
    const waited = Atomics.wait(flag, 0, 0, timeoutMs + 1000);
    const msg = receiveMessageOnPort(port1)?.message as FetchOutcome | undefined;
    if (waited === 'timed-out' || !msg) return { ok: false, reason: 'timeout' };
    return msg;
  } finally {
    void worker.terminate();
    port1.close();
  }
}
