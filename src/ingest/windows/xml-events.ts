/**
 * Windows events as XML, the way Windows hands them out: `wevtutil qe <log> /f:xml` (one `<Event>` after
 * another, no root, often all on one line), Event Viewer's "Save as XML" (`<?xml ...?><Events>...</Events>`,
 * usually UTF-16, transcoded by source.ts), PowerShell's `.ToXml()`, Sysmon's own XML. Each `<Event>`
 * element is cut from the stream (memory stays at one event), parsed by the small parser below (elements,
 * attributes in either quotes, text, CDATA, character and the five named entities; comments and processing
 * instructions skipped) into the same element tree the EVTX reader builds, and rendered by evtx/render.ts,
 * so an event lands the same from its EVTX, its XML and its evtx_dump JSON (values are text here, as in the
 * XML: a GUID-typed value keeps the braces Windows writes, where the EVTX reader writes evtx_dump's bare
 * upper-case form; the XML cannot tell a GUID from text that looks like one). `RenderingInfo` (the message text some exports add) is kept as any other element.
 */
import type { XmlAttr, XmlElement, XmlNode } from '../evtx/binxml.js';
import { renderEvent } from '../evtx/render.js';
import type { RecordItem } from '../readers.js';
import { TextDecoder } from 'node:util';
import { MAX_RECORD_BYTES } from '../splitters.js';

const RAW_KEPT = 2000;
const MAX_DEPTH = 64;
const START = /<Event[\s>/]/g;
const END = '</Event>';

class XmlSyntaxError extends Error {}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(s: string, at: number): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);?/g, (m, e: string, k: number) => {
    if (!m.endsWith(';')) throw new XmlSyntaxError(`'&' not starting an entity at character ${at + k + 1} of the event`);
    if (e[0] === '#') {
      const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      if (!(code >= 0 && code <= 0x10ffff)) throw new XmlSyntaxError(`character reference ${m} is no character`);
      return String.fromCodePoint(code);
    }
    const v = ENTITIES[e];
    if (v === undefined) throw new XmlSyntaxError(`unknown entity ${m} at character ${at + k + 1} of the event`);
    return v;
  });
}

/** The element tree of one event's XML text (`<Event ...>...</Event>`). */
export function parseEventXml(xml: string): XmlElement {
  let pos = 0;
  const fail = (what: string): never => {
    throw new XmlSyntaxError(`${what} at character ${pos + 1} of the event`);
  };
  const name = (): string => {
    const m = /[A-Za-z_:][\w.:-]*/y;
    m.lastIndex = pos;
    const r = m.exec(xml);
    if (!r) fail('expected a name');
    pos += r![0].length;
    return r![0];
  };
  const skipWs = () => {
    while (pos < xml.length && /\s/.test(xml[pos]!)) pos++;
  };
  const element = (depth: number): XmlElement => {
    if (depth > MAX_DEPTH) fail(`elements nested deeper than ${MAX_DEPTH}`);
    pos++; // '<'
    const el: XmlElement = { kind: 0, name: name(), attrs: [], children: [] };
    for (;;) {
      skipWs();
      if (xml.startsWith('/>', pos)) {
        pos += 2;
        return el;
      }
      if (xml[pos] === '>') {
        pos++;
        break;
      }
      const attr = name();
      skipWs();
      if (xml[pos] !== '=') fail(`expected '=' after attribute ${attr}`);
      pos++;
      skipWs();
      const q = xml[pos];
      if (q !== '"' && q !== "'") fail(`expected a quoted value for attribute ${attr}`);
      const end = xml.indexOf(q!, pos + 1);
      if (end < 0) fail(`attribute ${attr} is not closed`);
      const a: XmlAttr = { name: attr, parts: [{ kind: 1, text: decodeEntities(xml.slice(pos + 1, end), pos + 1) }] };
      el.attrs.push(a);
      pos = end + 1;
    }
    for (;;) {
      const lt = xml.indexOf('<', pos);
      if (lt < 0) fail(`element ${el.name} is not closed`);
      if (lt > pos) pushText(el.children, decodeEntities(xml.slice(pos, lt), pos));
      pos = lt;
      if (xml.startsWith('</', pos)) {
        pos += 2;
        const closing = name();
        if (closing !== el.name) fail(`</${closing}> closes <${el.name}>`);
        skipWs();
        if (xml[pos] !== '>') fail(`expected '>' after </${closing}`);
        pos++;
        return el;
      }
      if (xml.startsWith('<![CDATA[', pos)) {
        const end = xml.indexOf(']]>', pos);
        if (end < 0) fail('CDATA section is not closed');
        pushText(el.children, xml.slice(pos + 9, end));
        pos = end + 3;
      } else if (xml.startsWith('<!--', pos) || xml.startsWith('<?', pos)) {
        const close = xml[pos + 1] === '!' ? '-->' : '?>';
        const end = xml.indexOf(close, pos);
        if (end < 0) fail('comment or processing instruction is not closed');
        pos = end + close.length;
      } else el.children.push(element(depth + 1));
    }
  };
  const root = element(0);
  if (xml.slice(pos).trim()) fail('text after the event element');
  return root;
}

function pushText(children: XmlNode[], text: string): void {
  // white space between elements is layout, not text
  if (!text.trim() && (children.length === 0 || children.at(-1)!.kind === 0)) return;
  const last = children.at(-1);
  if (last?.kind === 1) last.text += text;
  else children.push({ kind: 1, text });
}

/** One event's XML as evtx_dump's JSON object, or the reason it cannot be read. */
export function eventObjectOfXml(xml: string): Record<string, unknown> | string {
  try {
    const root = parseEventXml(xml);
    // layout white space after the last child element is not text either
    return renderEvent({ root: trimLayout(root), values: { values: [], types: [] } });
  } catch (e) {
    if (e instanceof XmlSyntaxError) return `XML: ${e.message}`;
    throw e;
  }
}

/** Drops layout white space beside child elements. */
function trimLayout(el: XmlElement): XmlElement {
  const kids = el.children.filter((c) => c.kind !== 1 || c.text.trim() || !el.children.some((k) => k.kind === 0));
  return { ...el, children: kids.map((c) => (c.kind === 0 ? trimLayout(c) : c)) };
}

/**
 * The `<Event>` elements of an XML stream as records (`offset`: the event's index; `line`: where it starts),
 * each its evtx_dump-shaped object in `row`, or a problem. Text outside events other than the XML
 * declaration and an `<Events>` wrapper is reported, as is an event cut off by the end of the file.
 */
export async function* xmlEventRecords(chunks: AsyncIterable<Buffer>, maxRecordBytes = MAX_RECORD_BYTES): AsyncGenerator<RecordItem[]> {
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  let line = 1;
  let index = 0;
  const out: RecordItem[] = [];
  const outside = (text: string, at: number) => {
    const rest = text.replace(/<\?xml[^>]*\?>|<\/?Events\s*>|<Events\s[^>]*>|<!--[\s\S]*?-->/g, (m) => m.replace(/[^\n]/g, ' '));
    const first = rest.search(/\S/);
    if (first < 0) return;
    const stray = rest.trim();
    const lineOf = at + (rest.slice(0, first).match(/\n/g)?.length ?? 0);
    out.push({ line: lineOf, offset: index, problem: `text outside any <Event> element: ${JSON.stringify(stray.slice(0, 60))}`, raw: stray.slice(0, RAW_KEPT) });
  };
  const advance = (text: string) => {
    for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) line++;
  };
  /** Inside an event over the size limit: its text is dropped until its </Event>. */
  let skipping = false;
  for await (const chunk of chunks) {
    carry += decoder.decode(chunk, { stream: true });
    for (;;) {
      if (skipping) {
        const end = carry.indexOf(END);
        const drop = end < 0 ? Math.max(0, carry.length - END.length) : end + END.length;
        advance(carry.slice(0, drop));
        carry = carry.slice(drop);
        if (end < 0) break;
        skipping = false;
      }
      START.lastIndex = 0;
      const s = START.exec(carry);
      if (!s) {
        // text up to the last '>' is outside any event; the rest may begin one ("<Eve" cut by the chunk)
        const keep = carry.lastIndexOf('>') + 1;
        outside(carry.slice(0, keep), line);
        advance(carry.slice(0, keep));
        carry = carry.slice(keep);
        break;
      }
      if (s.index > 0) {
        outside(carry.slice(0, s.index), line);
        advance(carry.slice(0, s.index));
        carry = carry.slice(s.index);
      }
      const end = carry.indexOf(END);
      if (end < 0) {
        if (carry.length > maxRecordBytes) {
          out.push({ line, offset: index++, problem: `event larger than ${Math.round(maxRecordBytes / 1024)} KiB without its </Event>, not read` });
          skipping = true;
          continue;
        }
        break;
      }
      const xml = carry.slice(0, end + END.length);
      const o = eventObjectOfXml(xml);
      out.push(typeof o === 'string' ? { line, offset: index, problem: o, raw: xml.slice(0, RAW_KEPT) } : { line, offset: index, row: o });
      index++;
      advance(xml);
      carry = carry.slice(xml.length);
    }
    if (out.length) yield out.splice(0);
  }
  carry += decoder.decode();
  START.lastIndex = 0;
  const s = skipping ? null : START.exec(carry);
  if (s) {
    outside(carry.slice(0, s.index), line);
    out.push({ line, offset: index, problem: 'truncated: the file ends inside this event', raw: carry.slice(s.index, s.index + RAW_KEPT) });
  } else if (!skipping) outside(carry, line);
  if (out.length) yield out;
}
