/**
 * What every lint check reads: the rule's fields (absent for a bare query), the file text, the parsed and
 * bound query, and a parent map of the syntax tree (checks walk from a table up through its pipeline).
 * Checks report through `query` (a span in the query text) or `field` (a span in the rule file).
 */
import { diag } from '../../common/diagnostics.js';
import type { Span } from '../../common/span.js';
import type { CheckResult } from '../../kql/semantics/index.js';
import { walk, type AnyTreeNode } from '../../kql/syntax/walk.js';
import { fieldSpan } from '../rule-diagnostics.js';
import type { RuleDiagnostic } from '../rule.js';
import type { LintCode } from './codes.js';

export interface LintInput {
  /** The rule file's top-level fields; undefined for a bare .kql query. */
  fields?: Record<string, unknown>;
  /** The rule file's text (field spans point into it). */
  yaml?: string;
  query: string;
  /** The query parsed and bound (as `kqlite check` and rule validation do it). */
  check: CheckResult;
}

export class LintContext {
  readonly diagnostics: RuleDiagnostic[] = [];
  private parents?: Map<AnyTreeNode, AnyTreeNode | undefined>;

  constructor(readonly input: LintInput) {}

  get fields(): Record<string, unknown> | undefined {
    return this.input.fields;
  }

  get bound() {
    return this.input.check.bound;
  }

  get script() {
    return this.input.check.script;
  }

  parentOf(n: AnyTreeNode): AnyTreeNode | undefined {
    if (!this.parents) {
      const map = new Map<AnyTreeNode, AnyTreeNode | undefined>();
      walk(this.script, (x, p) => void map.set(x, p));
      this.parents = map;
    }
    return this.parents.get(n);
  }

  /** A finding about the query, at `span` in the query text. */
  query(code: LintCode, message: string, span: Span, suggestion?: string): void {
    this.diagnostics.push(diag(code.code, code.severity, message, span, suggestion));
  }

  /**
   * A finding about a field of the rule file, at the field's value or key; a field the file does not write
   * is reported at the rule's name (Sentinel's `name:`, Sigma's `title:`), else at the file's start.
   */
  field(code: LintCode, message: string, field: string, value?: string): void {
    const yaml = this.input.yaml ?? '';
    const span = fieldSpan(yaml, field, value) ?? fieldSpan(yaml, 'name') ?? fieldSpan(yaml, 'title') ?? { start: 0, end: 0 };
    this.diagnostics.push({ ...diag(code.code, code.severity, message, span), field });
  }
}
