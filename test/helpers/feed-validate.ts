// Validation of the feed documents by their specifications: Atom 1.0 (RFC 4287) through a strict XML parser
// (@xmldom/xmldom, every error fatal), feedsmith's Atom parser and the RFC's required elements; JSON Feed 1.1
// through its JSON Schema (ajv, with URL and date-time formats) and feedsmith's JSON Feed parser.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parseAtomFeed, parseJsonFeed } from 'feedsmith';

const ATOM = 'http://www.w3.org/2005/Atom';
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const kids = (e: Element, name: string) => Array.from(e.childNodes).filter((n): n is Element => n.nodeType === 1 && (n as Element).localName === name && (n as Element).namespaceURI === ATOM);

/** Checks an Atom document; returns its entries' ids, titles and alternate links. */
export function validateAtom(text: string): { id: string; title: string; link: string; content: string }[] {
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level, msg) => { errors.push(`${level}: ${msg}`); } }).parseFromString(text, 'application/xml');
  assert.deepEqual(errors, [], 'well-formed XML');
  const feed = doc.documentElement!;
  assert.equal(feed.localName, 'feed');
  assert.equal(feed.namespaceURI, ATOM);
  for (const name of ['id', 'title', 'updated']) assert.equal(kids(feed, name).length, 1, `atom:feed has exactly one atom:${name}`);
  assert.match(kids(feed, 'updated')[0]!.textContent!, RFC3339);
  assert.ok(kids(feed, 'link').some((l) => l.getAttribute('rel') === 'self'), 'a self link');
  const entries = kids(feed, 'entry');
  const feedAuthor = kids(feed, 'author').length > 0;
  const ids = new Set<string>();
  const out = entries.map((e) => {
    for (const name of ['id', 'title', 'updated']) assert.equal(kids(e, name).length, 1, `atom:entry has exactly one atom:${name}`);
    assert.match(kids(e, 'updated')[0]!.textContent!, RFC3339);
    assert.ok(feedAuthor || kids(e, 'author').length > 0, 'an author for every entry');
    for (const a of kids(e, 'author')) assert.equal(kids(a, 'name').length, 1, 'atom:author has one atom:name');
    const id = kids(e, 'id')[0]!.textContent!;
    assert.doesNotThrow(() => new URL(id), `entry id ${id} is an IRI`);
    assert.ok(!ids.has(id), `entry ids are unique (${id})`);
    ids.add(id);
    const alternate = kids(e, 'link').filter((l) => (l.getAttribute('rel') ?? 'alternate') === 'alternate');
    assert.ok(alternate.length >= 1 || kids(e, 'content').length === 1, 'an alternate link or content');
    for (const l of kids(e, 'link')) assert.match(l.getAttribute('href')!, /^https?:\/\//);
    return { id, title: kids(e, 'title')[0]!.textContent!, link: alternate[0]?.getAttribute('href') ?? '', content: kids(e, 'content')[0]?.textContent ?? '' };
  });
  const parsed = parseAtomFeed(text);
  assert.equal(parsed.entries?.length ?? 0, entries.length, 'feedsmith reads every entry');
  return out;
}

const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
const ajv = new Ajv({ allErrors: true, strict: false });
(addFormats as unknown as (a: Ajv) => void)(ajv);
const schema = JSON.parse(readFileSync(new URL('../server/fixtures/jsonfeed-1.1.schema.json', import.meta.url), 'utf8')) as object;
const check = ajv.compile(schema);

export function validateJsonFeed(text: string): { id: string; title?: string; url?: string; external_url?: string; content_text?: string; date_modified?: string }[] {
  const doc = JSON.parse(text) as { items: { id: string }[] };
  assert.ok(check(doc), `JSON Feed 1.1 schema: ${ajv.errorsText(check.errors)}`);
  const parsed = parseJsonFeed(doc);
  assert.equal(parsed.items?.length ?? 0, doc.items.length, 'feedsmith reads every item');
  assert.equal(new Set(doc.items.map((i) => i.id)).size, doc.items.length, 'item ids are unique');
  return doc.items;
}
