/**
 * Building a string column's dictionary one cell at a time: each distinct text gets the next code, the last
 * text's code is remembered (runs of one value, such as an extract that finds nothing writing '' row after
 * row, skip the Map), and the new strings' size is handed to the query's memory budget a MiB at a time
 * (strings built per row are what makes a string-heavy query grow; charging per MiB keeps the budget off the
 * per-row path). Shared by buildColumn and the typed column builders of compiled expressions.
 */
import { charge } from '../memory.js';
import type { Value } from '../values/value.js';

/** Bytes a dictionary string is counted as (UTF-16 text plus the string's own header). */
export const stringBytes = (s: string) => 2 * s.length + 64;

/** A cell's text in a string column: null is '', dynamic values their JSON. */
export function cellText(v: Value | undefined): string {
  return v === null || v === undefined ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export class StringDictionaryBuilder {
  readonly dict: string[] = [];
  private readonly index = new Map<string, number>();
  /** Bytes of new dictionary strings not yet charged to the memory budget. */
  private held = 0;
  private lastString: string | undefined;
  private lastCode = 0;

  /** The code of s, adding it to the dictionary if it is new. */
  code(s: string): number {
    if (s === this.lastString) return this.lastCode;
    let c = this.index.get(s);
    if (c === undefined) {
      c = this.dict.length;
      this.dict.push(s);
      this.index.set(s, c);
      if ((this.held += stringBytes(s)) > 1 << 20) {
        charge(this.held);
        this.held = 0;
      }
    }
    this.lastString = s;
    this.lastCode = c;
    return c;
  }

  /** Charges what is still held (the last MiB's worth) to the memory budget. */
  chargeRest(): void {
    charge(this.held);
    this.held = 0;
  }
}
