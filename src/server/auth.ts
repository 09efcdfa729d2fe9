/**
 * Who may reach the server, decided per request before any route runs:
 * - Host: only the names the server is bound to (loopback names, the --host value, --allow-host additions).
 *   A page on another name that resolves to 127.0.0.1 (DNS rebinding) is refused, so a browser can never
 *   treat the API as same-origin content of a foreign site.
 * - Token: when the server has one, every API request (any registered route, and anything whose decoded
 *   path lies under /api) must carry `Authorization: Bearer <token>`. Decided on the routed request, not
 *   on the raw URL, so percent-escapes (`/%61pi/...`) cannot slip past it.
 * - Origin: a state-changing request (any method but GET/HEAD/OPTIONS) sent by a browser must come from
 *   the server's own origin (Origin header, and Sec-Fetch-Site when the browser sends it); a reading one
 *   made by another site's page (Sec-Fetch-Site cross-site/same-site, other than a navigation) is refused too.
 * - Identity: the audit actor comes from how the request was authenticated, never from a header the
 *   client asserts.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { networkInterfaces, hostname as osHostname, userInfo } from 'node:os';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** 0.0.0.0 / :: listen on every interface: the names that reach the server are the machine's own. */
function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
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

/** A host name as compared: lower case, no brackets, no trailing dot. */
function normalHost(name: string): string {
  return name.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

/** The host names this server answers to. */
export function allowedHostNames(bindHost: string, extra: readonly string[] = []): Set<string> {
  const names = new Set<string>(['127.0.0.1', 'localhost', '::1']);
  names.add(normalHost(bindHost));
  for (const e of extra) names.add(normalHost(e));
  if (isWildcard(bindHost)) {
    names.add(normalHost(osHostname()));
    for (const addrs of Object.values(networkInterfaces())) for (const a of addrs ?? []) names.add(normalHost(a.address));
  }
  return names;
}

/** The host name of a Host header (`name:port`, `[v6]:port`), or undefined when it cannot be read. */
export function hostOfHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const h = header.trim();
  const m = /^\[([0-9a-fA-F:.]+)\](?::\d{1,5})?$/.exec(h) ?? /^([^:[\]\s/@]+)(?::\d{1,5})?$/.exec(h);
  return m ? normalHost(m[1]!) : undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Why a browser's state-changing request must be refused, or undefined when it may proceed. Requests
 * without Origin/Sec-Fetch-Site come from non-browser clients (curl, the SDKs), which a page cannot forge.
 */
export function crossOriginRefusal(method: string, hostHeader: string | undefined, origin: string | undefined, fetchSite: string | undefined, fetchMode?: string): string | undefined {
  if (SAFE_METHODS.has(method.toUpperCase())) {
    // A page elsewhere cannot read the answer, but an <img> or fetch() it makes still runs the request: a
    // Kusto GET query, heavy work, externaldata downloads. The browser says where a request comes from;
    // only following a link (a navigation) from elsewhere is let through.
    if ((fetchSite === 'cross-site' || fetchSite === 'same-site') && fetchMode !== 'navigate') return `a ${fetchSite} request may not use the API (only pages of this server may)`;
    return undefined;
  }
  if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') return `a ${fetchSite} request may not change anything here`;
  if (origin === undefined) return undefined;
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return `the request's Origin '${origin.slice(0, 100)}' is not an origin`;
  }
  if ((o.protocol !== 'http:' && o.protocol !== 'https:') || o.host.toLowerCase() !== (hostHeader ?? '').trim().toLowerCase()) {
    return `requests from ${origin.slice(0, 100)} may not change anything here (only pages of this server may)`;
  }
  return undefined;
}

/** A decoded request path, or undefined when its escapes are malformed. */
export function decodedPath(url: string): string | undefined {
  try {
    return decodeURIComponent(url.split('?')[0]!.split('#')[0]!);
  } catch {
    return undefined;
  }
}

/** Whether a path names the API, however it is spelt (`/api`, `/API/x`, `//api/x` after decoding). */
export function isApiPath(path: string): boolean {
  return /^\/*api(\/|$)/i.test(path);
}

/** The audit actor of an authenticated request: the token's holder, or the local user on loopback. */
export function actorOf(tokenUsed: boolean): string {
  if (tokenUsed) return 'web (token)';
  let user = 'local';
  try {
    user = userInfo().username || user;
  } catch {
    // no passwd entry for this uid: keep 'local'
  }
  return `web (${user})`;
}
