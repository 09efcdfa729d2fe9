/**
 * Functions that read the query's context rather than only their arguments: rand() (a fresh value per
 * call), bin_auto() (the bin size and anchor set by `set query_bin_auto_size/at`), cursor_current() (the
 * source's data-state cursor), current_database() and the current_principal*() family. kqlite runs
 * offline with no Entra ID sign-in, so "the principal" is the local operating-system user running the
 * query: `localuser=<name>;<host>`.
 */
import { hostname, userInfo } from 'node:os';
import { binTicks } from '../values/ticks.js';
import { QueryError, type DynamicValue, type Value } from '../values/value.js';
import { fn, type ScalarFunction } from './types.js';
import { LOCAL_DATABASE } from '../source.js';

function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

/** The fully qualified name of the local principal, in Kusto's `<kind>=<id>;<authority>` form. */
export function currentPrincipal(): string {
  return `localuser=${localUser()};${hostname()}`;
}

function principalDetails(): DynamicValue {
  const user = localUser();
  return { Type: 'LocalUser', UserPrincipalName: user, DisplayName: `${user} (local user)`, IdentityProvider: 'local', Authority: hostname(), Mfa: 'False' };
}

/** Principals the local user is known to be: its FQN and its bare `localuser=<name>` form (no group memberships offline). */
function isCurrentPrincipal(p: Value): boolean {
  if (typeof p !== 'string') return false;
  const want = p.trim().toLowerCase();
  return want === currentPrincipal().toLowerCase() || want === `localuser=${localUser()}`.toLowerCase();
}

/** bin_auto(v): bin(v - at, size) + at, with size and at from the query's `set` statements. */
function binAuto(v: Value, options: Map<string, Value> | undefined): Value {
  const size = options?.get('query_bin_auto_size');
  const at = options?.get('query_bin_auto_at') ?? null;
  if (size === undefined || size === null) throw new QueryError("bin_auto() needs the query property query_bin_auto_size (set query_bin_auto_size = ...;)");
  if (v === null) return null;
  if (typeof v === 'bigint') {
    if (typeof size !== 'bigint' || size <= 0n) throw new QueryError('bin_auto() of a datetime or timespan needs a positive timespan query_bin_auto_size');
    const anchor = typeof at === 'bigint' ? at : 0n;
    return binTicks(v - anchor, size) + anchor;
  }
  if (typeof v === 'number') {
    if (typeof size !== 'number' || size <= 0) throw new QueryError('bin_auto() of a number needs a positive numeric query_bin_auto_size');
    const anchor = typeof at === 'number' ? at : 0;
    return Math.floor((v - anchor) / size) * size + anchor;
  }
  return null;
}

export const QUERY_CONTEXT_FUNCTIONS: ScalarFunction[] = [
  // rand(): a real in [0, 1); rand(N): an integer in [0, N - 1]
  fn('rand', 0, 1, ([n]) => {
    if (n === undefined) return Math.random();
    const k = typeof n === 'number' ? Math.floor(n) : typeof n === 'bigint' ? Number(n) : NaN;
    if (!(k >= 1)) return null;
    return Math.floor(Math.random() * k);
  }),
  fn('bin_auto', 1, 1, ([v], _t, ctx) => binAuto(v!, ctx.options)),
  fn('cursor_current', 0, 0, (_a, _t, ctx) => ctx.cursor ?? ''),
  // the database in scope: a local workspace is one database, named as `kqlite serve` presents it
  fn('current_database', 0, 0, () => LOCAL_DATABASE),
  fn('current_principal', 0, 0, () => currentPrincipal()),
  fn('current_principal_details', 0, 0, () => principalDetails()),
  // current_principal_is_member_of(p1, p2, ...) or of one dynamic array of principals
  fn('current_principal_is_member_of', 1, 64, (args) => {
    const list = args.length === 1 && Array.isArray(args[0]) ? (args[0] as DynamicValue[]) : args;
    return list.some((p) => isCurrentPrincipal(p as Value));
  }),
];
