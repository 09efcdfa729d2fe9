/**
 * geo_from_wkt: Well-known text → GeoJSON. Supports the 2-D geometries GeoJSON has (POINT, LINESTRING,
 * POLYGON, MULTIPOINT, MULTILINESTRING, MULTIPOLYGON, GEOMETRYCOLLECTION), keywords in any case. EMPTY
 * geometries, Z/M coordinates and anything malformed or out of Kusto's coordinate ranges give null.
 */
import type { DynamicValue } from '../../values/value.js';
import { fn, type ScalarFunction } from '../types.js';
import { parseShape } from './shapes.js';

/** Tokens: words, numbers, '(', ')', ','. */
function tokenize(text: string): string[] | null {
  const tokens = text.match(/[A-Za-z]+|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[(),]|\S/g) ?? [];
  return tokens.every((t) => /^[A-Za-z]+$|^[-+.\d]|^[(),]$/.test(t)) ? tokens : null;
}

class WktReader {
  private i = 0;
  constructor(private readonly t: string[]) {}
  get done(): boolean { return this.i >= this.t.length; }
  private next(): string | undefined { return this.t[this.i++]; }
  private expect(tok: string): void { if (this.next() !== tok) throw new Error('wkt'); }
  private peek(): string | undefined { return this.t[this.i]; }

  /** A parenthesised, comma-separated list of `item`. */
  private list<T>(item: () => T): T[] {
    this.expect('(');
    const out = [item()];
    while (this.peek() === ',') { this.i++; out.push(item()); }
    this.expect(')');
    return out;
  }

  private position = (): DynamicValue => {
    const x = Number(this.next()), y = Number(this.next());
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Error('wkt');
    return [x, y];
  };
  private positions = (): DynamicValue => this.list(this.position);
  private rings = (): DynamicValue => this.list(this.positions);
  /** MULTIPOINT takes both (1 1, 2 2) and ((1 1), (2 2)). */
  private multiPointItem = (): DynamicValue => {
    if (this.peek() !== '(') return this.position();
    this.i++;
    const p = this.position();
    this.expect(')');
    return p;
  };

  geometry = (): DynamicValue => {
    const word = this.next()?.toUpperCase();
    switch (word) {
      case 'POINT': { this.expect('('); const p = this.position(); this.expect(')'); return { type: 'Point', coordinates: p }; }
      case 'LINESTRING': return { type: 'LineString', coordinates: this.positions() };
      case 'POLYGON': return { type: 'Polygon', coordinates: this.rings() };
      case 'MULTIPOINT': return { type: 'MultiPoint', coordinates: this.list(this.multiPointItem) };
      case 'MULTILINESTRING': return { type: 'MultiLineString', coordinates: this.rings() };
      case 'MULTIPOLYGON': return { type: 'MultiPolygon', coordinates: this.list(this.rings) };
      case 'GEOMETRYCOLLECTION': return { type: 'GeometryCollection', geometries: this.list(this.geometry) };
      default: throw new Error('wkt');
    }
  };
}

export function wktToGeoJson(text: string): DynamicValue | null {
  const tokens = tokenize(text);
  if (!tokens) return null;
  const reader = new WktReader(tokens);
  try {
    const g = reader.geometry();
    return reader.done && parseShape(g) ? g : null;
  } catch {
    return null;
  }
}

export const WKT_FUNCTIONS: ScalarFunction[] = [
  fn('geo_from_wkt', 1, 1, ([s]) => (typeof s === 'string' ? wktToGeoJson(s) : null)),
];
