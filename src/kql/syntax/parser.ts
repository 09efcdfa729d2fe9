/**
 * The parser's state: a token cursor, diagnostics, and small helpers every parse function shares.
 * Parse functions live in parse-*.ts, one family per file, named after the KQL construct they read
 * (`parseSummarize`, `parseJoin`, ...). Every loop in them consumes at least one token or stops, so the
 * parser always terminates; errors become diagnostics plus ErrorExpr nodes, never exceptions.
 */
import { diag, type Diagnostic } from '../../common/diagnostics.js';
import type { Span } from '../../common/span.js';
import type { Directive, ErrorExpr, Identifier, NamedArg } from './ast.js';
import { SYNTAX } from './syntax-codes.js';
import { scan, type Token } from './scanner.js';

export class Parser {
  readonly tokens: Token[];
  readonly directives: Directive[];
  pos = 0;
  readonly diagnostics: Diagnostic[] = [];
  /** Nesting depth guard: pathological inputs (thousands of parens) fail cleanly instead of overflowing the stack. */
  depth = 0;
  /** Set once the rest of the text was skipped as too deep: the closers still expected are not reported. */
  private gaveUp = false;
  private readonly errorStarts = new Set<number>();

  constructor(readonly text: string) {
    const tokens = scan(text);
    // client directives lead the query block (Kusto.Language: its Directives list); the statements follow
    let d = 0;
    while (tokens[d]!.kind === 'directive') d++;
    this.directives = tokens.slice(0, d).map((t) => {
      const m = /^#(\w*)\s*(.*)$/.exec(t.text)!;
      return { kind: 'Directive' as const, name: m[1]!, argument: m[2]!.trim(), span: t.span };
    });
    this.tokens = d ? tokens.slice(d) : tokens;
    // Causes known at scan time (merge-conflict markers) are reported first, so they win over the
    // generic "unexpected token" the parser would say at the same place.
    for (const t of this.tokens) if (t.kind === 'bad' && t.code) this.error(t.code, t.error ?? 'unexpected text', t.span);
  }

  get tok(): Token {
    return this.tokens[this.pos]!;
  }

  peek(k = 1): Token {
    return this.tokens[Math.min(this.pos + k, this.tokens.length - 1)]!;
  }

  atEnd(): boolean {
    return this.tok.kind === 'eof';
  }

  advance(): Token {
    const t = this.tok;
    if (t.kind === 'bad') this.error(t.code ?? SYNTAX.badCharacter, t.error ?? 'unexpected character', t.span);
    else if (t.kind === 'string' && t.error) this.error(SYNTAX.badString, t.error, t.span);
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  /**
   * Reports pathological nesting at the cursor (`what` says of what) and skips the rest of the text, so no
   * later stage meets it: every stage after the parser may then recurse as deep as the parser allowed.
   */
  giveUpTooDeep(what: string): ErrorExpr {
    this.errorHere(SYNTAX.tooDeep, what);
    this.gaveUp = true;
    const s = this.start;
    while (!this.atEnd()) this.advance();
    return { kind: 'ErrorExpr', span: { start: s, end: Math.max(s, this.lastEnd) } };
  }

  /** Start offset of the current token (for spans). */
  get start(): number {
    return this.tok.span.start;
  }

  /** End offset of the previously consumed token. */
  get lastEnd(): number {
    return this.pos > 0 ? this.tokens[this.pos - 1]!.span.end : 0;
  }

  spanFrom(start: number): Span {
    return { start, end: Math.max(start, this.lastEnd) };
  }

  isPunct(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'punct' && t.text === text;
  }

  /** Identifier-like word match, case-sensitive as KQL keywords are. */
  isWord(word: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'ident' && t.text === word;
  }

  isWordCI(word: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'ident' && t.text.toLowerCase() === word;
  }

  eatPunct(text: string): boolean {
    if (this.isPunct(text)) {
      this.advance();
      return true;
    }
    return false;
  }

  eatWord(word: string): boolean {
    if (this.isWord(word)) {
      this.advance();
      return true;
    }
    return false;
  }

  expectPunct(text: string, what?: string): boolean {
    if (this.eatPunct(text)) return true;
    if (this.gaveUp) return false;
    this.errorHere(SYNTAX.expected, `expected '${text}'${what ? ` ${what}` : ''}${this.foundText()}`);
    return false;
  }

  expectWord(word: string, what?: string): boolean {
    if (this.eatWord(word)) return true;
    this.errorHere(SYNTAX.expected, `expected '${word}'${what ? ` ${what}` : ''}${this.foundText()}`);
    return false;
  }

  foundText(): string {
    const t = this.tok;
    return t.kind === 'eof' ? ' but the query ended' : `, found '${t.text.length > 40 ? t.text.slice(0, 40) + '…' : t.text}'`;
  }

  error(code: string, message: string, span: Span): void {
    // One diagnostic per position: cascades after the first error at a token add noise, not information.
    if (this.errorStarts.has(span.start)) return;
    this.errorStarts.add(span.start);
    this.diagnostics.push(diag(code, 'error', message, span));
  }

  warning(code: string, message: string, span: Span): void {
    this.diagnostics.push(diag(code, 'warning', message, span));
  }

  errorHere(code: string, message: string): void {
    const t = this.tok;
    this.error(code, message, t.kind === 'eof' ? { start: t.span.start, end: t.span.start } : t.span);
  }

  errorExpr(message: string): ErrorExpr {
    this.errorHere(SYNTAX.expectedExpression, message + this.foundText());
    const start = this.start;
    return { kind: 'ErrorExpr', span: { start, end: start } };
  }

  /** Is the current token a name (identifier, or a keyword used as a name)? */
  isName(k = 0): boolean {
    const t = this.peek(k);
    if (t.kind === 'ident') return true;
    return t.kind === 'punct' && t.text === '[' && this.peek(k + 1).kind === 'string' && this.isPunct(']', k + 2);
  }

  /** Reads `name`, `['name']` or `["name"]`. */
  parseIdentifier(what = 'a name'): Identifier {
    const t = this.tok;
    if (t.kind === 'ident') {
      this.advance();
      return { kind: 'Identifier', name: t.text, span: t.span };
    }
    if (this.isName()) {
      const start = this.start;
      this.advance();
      const s = this.advance();
      this.advance();
      return { kind: 'Identifier', name: s.value ?? '', span: this.spanFrom(start) };
    }
    this.errorHere(SYNTAX.expectedName, `expected ${what}${this.foundText()}`);
    return { kind: 'Identifier', name: '', span: { start: t.span.start, end: t.span.start } };
  }

  /**
   * Hyphenated words like `project-away`, `mv-expand`, `with_itemindex`: joins `ident - ident` written without spaces.
   * Returns undefined (and consumes nothing) when the current token is not an identifier.
   */
  peekHyphenatedWord(): { word: string; count: number } | undefined {
    if (this.tok.kind !== 'ident') return undefined;
    let word = this.tok.text;
    let count = 1;
    while (this.isPunct('-', count) && !this.peek(count).spaced && this.peek(count + 1).kind === 'ident' && !this.peek(count + 1).spaced) {
      word += '-' + this.peek(count + 1).text;
      count += 2;
    }
    return { word, count };
  }

  skip(count: number): void {
    for (let i = 0; i < count; i++) this.advance();
  }

  /**
   * Named parameters before an operator's body: `kind=inner`, `hint.strategy=shuffle`, `withsource=T`,
   * `isfuzzy=true`, `bagexpansion=array`, `with_itemindex=i`. Stops at the first token that is not `name=`.
   */
  parseOperatorParameters(allowed: (name: string) => boolean): NamedArg[] {
    const out: NamedArg[] = [];
    for (;;) {
      let k = 0;
      if (this.tok.kind !== 'ident') break;
      let name = this.tok.text;
      k = 1;
      while (this.isPunct('.', k) && this.peek(k + 1).kind === 'ident') {
        name += '.' + this.peek(k + 1).text;
        k += 2;
      }
      if (!this.isPunct('=', k) || !allowed(name)) break;
      const start = this.start;
      const nameSpan = { start, end: this.peek(k - 1).span.end };
      this.skip(k + 1);
      const vt = this.tok;
      let value: NamedArg['value'];
      if (vt.kind === 'ident' || vt.kind === 'number' || vt.kind === 'string' || vt.kind === 'timespan') {
        this.advance();
        value = vt.kind === 'ident'
          ? { kind: 'NameRef', name: vt.text, span: vt.span }
          : vt.kind === 'string'
            ? { kind: 'Literal', type: 'string', value: vt.value ?? '', text: vt.text, span: vt.span }
            : { kind: 'Literal', type: vt.kind === 'timespan' ? 'timespan' : 'long', value: Number(vt.text), text: vt.text, span: vt.span };
      } else if (this.isPunct('-') && this.peek().kind === 'number') {
        this.advance();
        const n = this.advance();
        value = { kind: 'Literal', type: 'long', value: -Number(n.text), text: '-' + n.text, span: this.spanFrom(vt.span.start) };
      } else {
        value = this.errorExpr(`expected a value for '${name}'`);
      }
      out.push({ kind: 'NamedArg', name: { kind: 'Identifier', name, span: nameSpan }, value, span: this.spanFrom(start) });
    }
    return out;
  }

  /** `with (name=value, ...)` property lists (render, parse-kv, externaldata); the `with` is already consumed. */
  parseWithProperties(): NamedArg[] {
    const props: NamedArg[] = [];
    this.expectPunct('(');
    do props.push(...this.parseOperatorParameters(() => true));
    while (this.eatPunct(','));
    this.expectPunct(')');
    return props;
  }
}
