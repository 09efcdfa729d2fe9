/**
 * An event's element tree with its values → the JSON object `evtx_dump` (the evtx crate) writes for it, so
 * EVTX files and that tool's JSON exports are one input: `{"Event": {"System": {...}, "EventData": {...}}}`.
 * The rules: an element's attributes go under "#attributes" (attributes without a value are left out); an
 * element with only text becomes that value (typed: numbers stay numbers); text beside attributes or child
 * elements goes under "#text"; an empty element is null; `<Data Name="X">` becomes the key X; a second
 * child of the same name gets the key `Name_1` (then `_2`, ...); several unnamed `<Data>` values become an
 * array under "Data"."#text"; white space at the end of element text is dropped, as that tool does.
 */
import type { Instance, Values, XmlElement, XmlNode, XmlSub, XmlText } from './binxml.js';
import { VT } from './values.js';

type Json = unknown;
type Obj = Record<string, Json>;

function isInstance(v: unknown): v is Instance {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'root' in v && 'values' in v;
}

/** A value as text (attribute values, names, text spread over several parts). */
export function valueText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(valueText).join(',');
  return String(v);
}

/** The parts of an attribute or of an element's text: one part keeps its type, several are joined as text. */
function partsValue(parts: readonly (XmlText | XmlSub)[], vals: Values): Json {
  if (parts.length === 1) {
    const p = parts[0]!;
    if (p.kind === 1) return p.text;
    const v = vals.values[p.index];
    return v === undefined || isInstance(v) ? null : v;
  }
  let s = '';
  let any = false;
  for (const p of parts) {
    const v = p.kind === 1 ? p.text : vals.values[p.index];
    if (v === null || v === undefined || isInstance(v)) continue;
    s += valueText(v);
    any = true;
  }
  return any ? s : null;
}

function insert(obj: Obj, key: string, value: Json): void {
  if (!(key in obj)) {
    obj[key] = value;
    return;
  }
  let i = 1;
  while (`${key}_${i}` in obj) i++;
  obj[`${key}_${i}`] = value;
}

/** Renders `el` into `parent` under its key. */
function renderChild(parent: Obj, el: XmlElement, vals: Values): void {
  if (el.name === 'Data') {
    const nameAttr = el.attrs.find((a) => a.name === 'Name');
    if (nameAttr) {
      insert(parent, valueText(partsValue(nameAttr.parts, vals)), elementValue(el, vals, true));
      return;
    }
    // unnamed <Data>: its values collect as an array under Data.#text
    const v = elementValue(el, vals, true);
    const prev = parent['Data'];
    if (prev && typeof prev === 'object' && !Array.isArray(prev) && '#text' in (prev as Obj)) {
      const t = (prev as Obj)['#text'];
      (prev as Obj)['#text'] = Array.isArray(t) ? [...t, v] : [t, v];
    } else parent['Data'] = { '#text': v };
    return;
  }
  insert(parent, el.name, elementValue(el, vals, false));
}

/** The JSON value of one element (see the module comment). */
function elementValue(el: XmlElement, vals: Values, isData: boolean): Json {
  const attrs: Obj = {};
  let hasAttrs = false;
  if (!isData || el.attrs.length > 1) {
    for (const a of el.attrs) {
      if (isData && a.name === 'Name') continue;
      const v = partsValue(a.parts, vals);
      if (v === null) continue;
      attrs[a.name] = v;
      hasAttrs = true;
    }
  }
  const children: Obj = {};
  let hasChildren = false;
  const text: (XmlText | XmlSub)[] = [];
  for (const n of el.children) collect(n, vals, children, text, () => (hasChildren = true));
  // evtx_dump drops white space at the end of element text (Sysmon command lines often end in a space)
  let t = text.length ? partsValue(text, vals) : null;
  if (typeof t === 'string') t = t.trimEnd();
  if (!hasAttrs && !hasChildren) return t;
  const out: Obj = hasAttrs ? { '#attributes': attrs } : {};
  for (const k in children) out[k] = children[k];
  if (t !== null) out['#text'] = t;
  return out;
}

/** One child node: an element, text, or a substitution (whose value may itself be XML). */
function collect(n: XmlNode, vals: Values, children: Obj, text: (XmlText | XmlSub)[], sawChild: () => void): void {
  if (n.kind === 0) {
    renderChild(children, n, vals);
    sawChild();
    return;
  }
  if (n.kind === 1) {
    text.push(n);
    return;
  }
  const v = vals.values[n.index];
  if (v === undefined || v === null) return;
  if (isInstance(v)) {
    renderChild(children, v.root, v.values);
    sawChild();
    return;
  }
  if (vals.types[n.index] === VT.binXml) return;
  text.push(n);
}

/** The dump-shaped object of an event: `{ [rootName]: value }`. */
export function renderEvent(inst: Instance): Obj {
  const out: Obj = {};
  renderChild(out, inst.root, inst.values);
  return out;
}
