/**
 * Markdown pages of community hunting-query repositories: every fenced block labelled kql/kusto (or an
 * unlabelled one whose text reads as KQL) is one rule, named from the page's title and the heading above
 * the block ("Title (Defender XDR)" when a page has a block per product), described by the page's first
 * paragraph (or its "Description" section); techniques and references come from the page's text.
 */
import { ruleFromQuery } from './from-query.js';
import { nameFromPath, readsAsKql } from './kql-file.js';
import type { FileRead, ReadOptions } from './types.js';

interface Block { line: number; info: string; text: string; heading: string; headingLine: number }

function blocksOf(lines: string[]): { blocks: Block[]; prose: string[]; title?: string; description?: string } {
  const blocks: Block[] = [];
  const prose: string[] = [];
  let title: string | undefined;
  let heading = '';
  let headingLine = 0;
  let description: string | undefined;
  let para: string[] = [];
  let inDescription = false;
  const flush = () => {
    const p = para.join(' ').trim();
    para = [];
    if (p && !p.startsWith('|') && (description === undefined || inDescription) && title !== undefined) {
      description = inDescription && description ? `${description} ${p}` : p;
    }
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const fence = /^\s*(`{3,}|~{3,})\s*([\w+-]*)/.exec(l);
    if (fence) {
      flush();
      const close = new RegExp(`^\\s*${fence[1]![0] === '`' ? '`' : '~'}{${fence[1]!.length},}\\s*$`);
      const body: string[] = [];
      let j = i + 1;
      while (j < lines.length && !close.test(lines[j]!)) body.push(lines[j++]!);
      blocks.push({ line: i + 2, info: fence[2]!.toLowerCase(), text: body.join('\n'), heading, headingLine });
      i = j;
      continue;
    }
    const h = /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(l);
    if (h) {
      flush();
      const text = h[2]!.replace(/[*_`]/g, '').trim();
      if (title === undefined && h[1]!.length <= 2) title = text;
      heading = text;
      headingLine = i + 1;
      inDescription = /^description$/i.test(text);
      continue;
    }
    prose.push(l);
    if (l.trim()) para.push(l.trim());
    else flush();
  }
  flush();
  return { blocks, prose, ...(title !== undefined ? { title } : {}), ...(description !== undefined ? { description } : {}) };
}

const KQL_INFO = new Set(['kql', 'kusto', 'csl', 'kusto-query', 'kql-query']);

export function readMarkdown(text: string, opts: ReadOptions): FileRead {
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  const { blocks, prose, title, description } = blocksOf(lines);
  const queries = blocks.filter((b) => b.text.trim() && (KQL_INFO.has(b.info) || (b.info === '' && readsAsKql(b.text))));
  if (!queries.length) return { kind: 'skipped', reason: 'no KQL code blocks' };
  const page = title ?? nameFromPath(opts.path);
  const context = prose.join('\n');
  const seen = new Map<string, number>();
  const rules = queries.map((b) => {
    const n = (seen.get(b.heading) ?? 0) + 1;
    seen.set(b.heading, n);
    const sub = b.heading && b.heading !== page ? b.heading : '';
    const name = queries.length === 1 ? page : `${page}${sub ? ` (${sub}${n > 1 ? ` ${n}` : ''})` : ` (query ${queries.indexOf(b) + 1})`}`;
    const rule = ruleFromQuery({
      source: opts.source, path: opts.path, anchor: `${b.heading}#${n}`, name, description: description ?? '', query: b.text.replace(/\s+$/, ''),
      context, definition: lines.slice(Math.max(0, b.headingLine - 1), b.line - 1 + b.text.split('\n').length + 1).join('\n'),
      ...(opts.library ? { library: opts.library } : {}),
    });
    rule.queryPosition = { line: b.line, indent: 0 };
    return rule;
  });
  return { kind: 'rules', rules, notes: [] };
}
