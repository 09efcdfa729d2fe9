/**
 * Binary XML (libevtx documentation, "Binary XML") → a small element tree. A record's event is usually a
 * template instance: a template (the XML shape, with numbered substitution slots) defined once per chunk and
 * referenced by later records, plus the record's own values. Templates are parsed once per chunk and kept
 * by their chunk offset, so a record costs only reading its values. Every read is bounds-checked against
 * the chunk: damage becomes an EvtxError naming what is wrong, never an out-of-range read or a loop.
 */
import { EvtxError } from './errors.js';
import { readValue, VT } from './values.js';

export interface XmlElement { kind: 0; name: string; attrs: XmlAttr[]; children: XmlNode[] }
export interface XmlText { kind: 1; text: string }
export interface XmlSub { kind: 2; index: number; optional: boolean; type: number }
export type XmlNode = XmlElement | XmlText | XmlSub;
export interface XmlAttr { name: string; parts: (XmlText | XmlSub)[] }

/** A template instance's values, in substitution order, each with its type code. */
export interface Values { values: unknown[]; types: number[] }
/** What a fragment holds: elements to render (with the values their substitutions take). */
export interface Instance { root: XmlElement; values: Values }

/** Per-chunk state: the chunk's bytes and its caches of names and templates by offset. */
export class ChunkContext {
  readonly names = new Map<number, string>();
  readonly templates = new Map<number, XmlElement>();
  constructor(readonly buf: Buffer) {}
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
/** Nesting deeper than this is damage (real events nest a handful of levels). */
const MAX_DEPTH = 64;

class Cursor {
  constructor(readonly ctx: ChunkContext, public pos: number, readonly end: number) {}
  need(n: number, what: string): void {
    if (this.pos + n > this.end) throw new EvtxError(`${what} at chunk offset ${this.pos} runs past the end of its data`);
  }
  u8(what: string): number { this.need(1, what); return this.ctx.buf[this.pos++]!; }
  u16(what: string): number { this.need(2, what); const v = this.ctx.buf.readUInt16LE(this.pos); this.pos += 2; return v; }
  u32(what: string): number { this.need(4, what); const v = this.ctx.buf.readUInt32LE(this.pos); this.pos += 4; return v; }
  peek(): number { return this.pos < this.end ? this.ctx.buf[this.pos]! : -1; }
  /** A length-prefixed UTF-16 string (value text, CDATA, PI data). */
  prefixedText(what: string): string {
    const n = this.u16(what);
    this.need(n * 2, what);
    const s = this.ctx.buf.toString('utf16le', this.pos, this.pos + n * 2);
    this.pos += n * 2;
    return s;
  }
}

/** A name structure at a chunk offset: next offset (4), hash (2), length (2), UTF-16 text, NUL. */
function nameAt(ctx: ChunkContext, offset: number): { name: string; size: number } {
  const buf = ctx.buf;
  if (offset < 0 || offset + 8 > buf.length) throw new EvtxError(`name offset ${offset} lies outside the chunk`);
  const n = buf.readUInt16LE(offset + 6);
  const size = 8 + n * 2 + 2;
  if (offset + size > buf.length) throw new EvtxError(`name at chunk offset ${offset} runs past the chunk`);
  let name = ctx.names.get(offset);
  if (name === undefined) {
    name = buf.toString('utf16le', offset + 8, offset + 8 + n * 2);
    ctx.names.set(offset, name);
  }
  return { name, size };
}

/** Reads a name reference; a name stored inline (its offset is the very next byte) is stepped over. */
function readName(c: Cursor): string {
  const offset = c.u32('name offset');
  const { name, size } = nameAt(c.ctx, offset);
  if (offset === c.pos) c.pos += size;
  return name;
}

function isValueToken(t: number): boolean {
  const b = t & 0xbf;
  return b === 0x05 || b === 0x07 || b === 0x08 || b === 0x09 || t === 0x0d || t === 0x0e;
}

/** One content or attribute-value token into `out`; false when the token is none of those. */
function readValueToken(c: Cursor, out: (XmlText | XmlSub)[]): boolean {
  const t = c.peek();
  switch (t & 0xbf) {
    case 0x05: {
      c.pos++;
      const type = c.u8('value type');
      if (type !== VT.string) throw new EvtxError(`value text of type 0x${type.toString(16)} (only strings are defined)`);
      out.push({ kind: 1, text: c.prefixedText('value text') });
      return true;
    }
    case 0x07: c.pos++; out.push({ kind: 1, text: c.prefixedText('CDATA section') }); return true;
    case 0x08: c.pos++; out.push({ kind: 1, text: String.fromCharCode(c.u16('character reference')) }); return true;
    case 0x09: {
      c.pos++;
      const name = readName(c);
      out.push({ kind: 1, text: ENTITIES[name] ?? `&${name};` });
      return true;
    }
  }
  if (t === 0x0d || t === 0x0e) {
    c.pos++;
    const index = c.u16('substitution');
    const type = c.u8('substitution');
    out.push({ kind: 2, index, optional: t === 0x0e, type });
    return true;
  }
  return false;
}

/** An element starting at its open-start token; `inValue`: inside a Binary XML value (no dependency id). */
function readElement(c: Cursor, inValue: boolean, depth: number): XmlElement {
  if (depth > MAX_DEPTH) throw new EvtxError(`elements nested more than ${MAX_DEPTH} deep`);
  const token = c.u8('element');
  if (!inValue) c.u16('dependency identifier');
  const size = c.u32('element size');
  const limit = c.pos + size;
  if (limit > c.end) throw new EvtxError(`element of ${size} bytes at chunk offset ${c.pos} runs past the end of its data`);
  const name = readName(c);
  const el: XmlElement = { kind: 0, name, attrs: [], children: [] };
  if (token & 0x40) {
    const listSize = c.u32('attribute list size');
    const listEnd = c.pos + listSize;
    if (listEnd > limit) throw new EvtxError(`attribute list of element '${name}' runs past the element`);
    while (c.pos < listEnd && (c.peek() & 0xbf) === 0x06) {
      c.pos++;
      const attr: XmlAttr = { name: readName(c), parts: [] };
      while (c.pos < listEnd && isValueToken(c.peek()) && readValueToken(c, attr.parts));
      el.attrs.push(attr);
    }
  }
  const close = c.u8('close of start element');
  if (close === 0x03) return el;
  if (close !== 0x02) throw new EvtxError(`element '${name}': expected the end of its start tag, found token 0x${close.toString(16)}`);
  for (;;) {
    const t = c.peek();
    if (t === 0x04) {
      c.pos++;
      return el;
    }
    if ((t & 0xbf) === 0x01) el.children.push(readElement(c, inValue, depth + 1));
    else if (t === 0x0a) { c.pos++; readName(c); }
    else if (t === 0x0b) { c.pos++; c.prefixedText('PI data'); }
    else if (!readValueToken(c, el.children as (XmlText | XmlSub)[])) {
      throw new EvtxError(t < 0 ? `element '${name}' is not closed` : `unexpected token 0x${t.toString(16)} in element '${name}' at chunk offset ${c.pos}`);
    }
  }
}

/** The template whose definition sits at a chunk offset: next (4), GUID (16), size (4), then its fragment. */
function templateAt(ctx: ChunkContext, offset: number, depth: number): { root: XmlElement; end: number } {
  const buf = ctx.buf;
  if (offset + 24 > buf.length) throw new EvtxError(`template offset ${offset} lies outside the chunk`);
  const size = buf.readUInt32LE(offset + 20);
  const end = offset + 24 + size;
  if (end > buf.length) throw new EvtxError(`template at chunk offset ${offset} (${size} bytes) runs past the chunk`);
  let root = ctx.templates.get(offset);
  if (!root) {
    const c = new Cursor(ctx, offset + 24, end);
    root = readFragmentBody(c, false, depth + 1, true) as XmlElement;
    ctx.templates.set(offset, root);
  }
  return { root, end };
}

/** Reads a template instance's values: count, then (size, type) descriptors, then the values back to back. */
function readInstanceValues(c: Cursor, depth: number): Values {
  const n = c.u32('value count');
  if (n > 4096) throw new EvtxError(`template instance claims ${n} values`);
  c.need(n * 4, 'value descriptors');
  const sizes: number[] = [];
  const types: number[] = [];
  for (let i = 0; i < n; i++) {
    sizes.push(c.ctx.buf.readUInt16LE(c.pos));
    types.push(c.ctx.buf[c.pos + 2]!);
    c.pos += 4;
  }
  const values: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const size = sizes[i]!;
    c.need(size, `value ${i}`);
    const type = types[i]!;
    if (type === VT.binXml) {
      values.push(size ? readFragmentBody(new Cursor(c.ctx, c.pos, c.pos + size), true, depth + 1, false) : null);
    } else values.push(readValue(c.ctx.buf, c.pos, size, type));
    c.pos += size;
  }
  return { values, types };
}

/**
 * A fragment: optional fragment header, then an element or a template instance, then optionally EOF.
 * Returns the element (template bodies) or the instance (records and Binary XML values).
 */
function readFragmentBody(c: Cursor, inValue: boolean, depth: number, template: boolean): XmlElement | Instance {
  if (depth > MAX_DEPTH) throw new EvtxError(`templates nested more than ${MAX_DEPTH} deep`);
  while (c.peek() === 0x0f) {
    c.need(4, 'fragment header');
    c.pos += 4;
  }
  const t = c.peek();
  if (t === 0x0c) {
    if (template) throw new EvtxError('a template definition holds another template instance');
    c.pos++;
    c.u8('template instance');
    c.u32('template identifier');
    const defOffset = c.u32('template definition offset');
    const { root, end } = templateAt(c.ctx, defOffset, depth);
    if (defOffset === c.pos) c.pos = end; // defined inline: step over the definition
    return { root, values: readInstanceValues(c, depth) };
  }
  if ((t & 0xbf) === 0x01) {
    const root = readElement(c, inValue, depth);
    return template ? root : { root, values: { values: [], types: [] } };
  }
  throw new EvtxError(t < 0 ? 'empty Binary XML fragment' : `Binary XML starts with token 0x${t.toString(16)}, not an element or a template instance`);
}

/** The event of one record: its Binary XML from `start` to `end` (chunk offsets). */
export function readEventXml(ctx: ChunkContext, start: number, end: number): Instance {
  return readFragmentBody(new Cursor(ctx, start, end), false, 0, false) as Instance;
}
