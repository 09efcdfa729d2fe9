/**
 * Queries on Microsoft Defender XDR advanced hunting through Microsoft Graph's `security/runHuntingQuery`:
 * `{Query, Timespan}` in, `{schema: [{name, type}], results: [{column: value}]}` out (the documented
 * examples spell the schema keys both `name`/`Name`). Graph searches 30 days unless told; the answer is cut
 * at 100,000 rows; `now()` is written into the query (bind-now.ts).
 */
import { formatDatetime } from '../engine/values/ticks.js';
import { ApiEngine, type ApiAnswer } from './api-engine.js';
import { tokenSource } from './credentials.js';
import { toResultTable } from './remote-table.js';
import { RemoteError, type RemoteSpec } from './remote-types.js';
import type { Window } from './windows.js';

const DEFAULT_ENDPOINT = 'https://graph.microsoft.com/v1.0';
const SCOPE = 'https://graph.microsoft.com/.default';

interface HuntingAnswer {
  schema?: Record<string, string>[];
  Schema?: Record<string, string>[];
  results?: Record<string, unknown>[];
  Results?: Record<string, unknown>[];
}

const pick = (o: Record<string, string>, k: string) => o[k] ?? o[k[0]!.toUpperCase() + k.slice(1)];

/** A runHuntingQuery answer (or the older advanced hunting API's `Schema`/`Results`) in an engine table. */
export function readHuntingAnswer(body: unknown, rowCap: number): ApiAnswer {
  const a = body as HuntingAnswer;
  const schema = a?.schema ?? a?.Schema;
  const results = a?.results ?? a?.Results;
  if (!Array.isArray(schema) || !Array.isArray(results)) throw new RemoteError('the hunting answer has no schema and results');
  const columns = schema.map((c, i) => {
    const name = pick(c, 'name'), type = pick(c, 'type');
    if (!name || !type) throw new RemoteError(`column ${i} of the hunting answer has no name or type`);
    return { name, type };
  });
  const table = toResultTable('PrimaryResult', columns, results);
  return { tables: [table], capped: results.length >= rowCap, warnings: [] };
}

export class DefenderEngine extends ApiEngine {
  readonly label = 'defender advanced hunting';
  protected readonly rowCap = 100_000;
  protected readonly timeColumn = 'Timestamp';
  private readonly url: string;

  constructor(spec: RemoteSpec) {
    super(tokenSource(spec.auth));
    this.url = `${(spec.endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, '')}/security/runHuntingQuery`;
  }

  protected async ask(text: string, w: Window, timeoutMs: number): Promise<ApiAnswer> {
    const body = await this.post(this.url, SCOPE, { Query: text, Timespan: `${formatDatetime(w.start)}/${formatDatetime(w.end)}` }, timeoutMs);
    return readHuntingAnswer(body, this.rowCap);
  }
}
