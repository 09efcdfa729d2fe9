/**
 * parse_xml(xml): XML text as a dynamic value, converted the way Kusto documents it: an element is a
 * property named by its tag; an empty element is null; text alone is a string; attributes are properties
 * named `@name`; text beside attributes or child elements is `#text`; repeated child elements become an
 * array; only elements, attributes and text are kept (no declaration, comments or processing
 * instructions). Values stay strings. Invalid XML, or text over 1 MiB, gives null. Windows event XML
 * (`EventData`, `<Data Name="...">`) is the common case in hunting queries.
 * Parsing is fast-xml-parser's (after its validator, which is strict where its parser is lenient).
 */
import type * as FastXmlParser from 'fast-xml-parser';
import { lazyPackage } from '../../common/lazy-package.js';
import type { DynamicValue, Value } from '../values/value.js';
import { fn, type ScalarFunction } from './types.js';
import { setOwn } from '../../common/own-keys.js';

// loaded on the first parse_xml (start-up cost for every command otherwise; common/lazy-package.ts)
const fastXml = lazyPackage<typeof FastXmlParser>('fast-xml-parser');

const MAX_XML_BYTES = 1_048_576;
const TEXT = '#text';

let parser: FastXmlParser.XMLParser | undefined;
const OPTIONS: FastXmlParser.X2jOptions = {
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: TEXT,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
};

export function parseXml(v: Value): Value {
  const text = typeof v === 'string' ? v : null;
  if (text === null || text.trim() === '' || Buffer.byteLength(text, 'utf8') > MAX_XML_BYTES) return null;
  const { XMLParser, XMLValidator } = fastXml();
  if (XMLValidator.validate(text) !== true) return null;
  let doc: unknown;
  try {
    doc = (parser ??= new XMLParser(OPTIONS)).parse(text);
  } catch {
    return null;
  }
  return normalise(doc);
}

/** fast-xml-parser's tree in Kusto's shape: empty elements null, and nothing but plain JSON values. */
function normalise(x: unknown): DynamicValue {
  if (x === '' || x === undefined || x === null) return null;
  if (typeof x === 'string') return x;
  if (typeof x === 'number' || typeof x === 'boolean') return String(x);
  if (Array.isArray(x)) return x.map(normalise);
  // attributes first, then the text, then child elements (the order Kusto's documentation shows)
  const entries = Object.entries(x as Record<string, unknown>);
  const rank = (k: string) => (k.startsWith('@') ? 0 : k === TEXT ? 1 : 2);
  const out: Record<string, DynamicValue> = {};
  for (const [k, val] of entries.sort((a, b) => rank(a[0]) - rank(b[0]))) {
    // an attribute's empty value stays "": only elements are null when empty
    setOwn(out, k, k.startsWith('@') && val === '' ? '' : normalise(val));
  }
  return out;
}

export const XML_FUNCTIONS: ScalarFunction[] = [fn('parse_xml', 1, 1, ([v]) => parseXml(v))];
