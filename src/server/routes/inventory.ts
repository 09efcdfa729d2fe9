/**
 * GET /api/inventory (RMM tools seen, where, state, second-tool flags, and the suppressions),
 * POST /api/suppressions (allow a tool or rule in a scope; reason required) and DELETE /api/suppressions/:id.
 */
import type { FastifyInstance } from 'fastify';
import { addSuppression, buildInventory, listSuppressions, revokeSuppression } from '../../hunts/index.js';
import { formatDatetime } from '../../engine/values/ticks.js';
import { parseDatetimeText } from '../../kql/syntax/index.js';
import { findTool } from '../../rules/index.js';
import type { AllowRequest, InventoryResponse, Suppression } from '../api.js';
import type { ServerContext } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import { suppressionView } from '../views.js';

const ALLOW_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['target', 'reason'],
  properties: {
    target: { type: 'string', minLength: 1, maxLength: 300 },
    targetKind: { type: 'string', enum: ['tool', 'rule'] },
    device: { type: 'string', minLength: 1, maxLength: 300 },
    user: { type: 'string', minLength: 1, maxLength: 300 },
    signer: { type: 'string', minLength: 1, maxLength: 300 },
    reason: { type: 'string', maxLength: 2000 },
    expires: { type: 'string', maxLength: 64 },
  },
} as const;

export function inventoryRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/inventory', async (): Promise<InventoryResponse> => ({
    entries: buildInventory(ctx.db),
    suppressions: listSuppressions(ctx.db).map((s) => suppressionView(s)),
  }));

  app.post('/api/suppressions', { schema: { body: ALLOW_BODY } }, async (req, reply): Promise<Suppression> => {
    const b = req.body as AllowRequest;
    if (!b.reason.trim()) throw badRequest("'reason' is required: say why this tool is sanctioned here");
    const kind = b.targetKind ?? (ctx.rule(b.target) ? 'rule' : 'tool');
    let target = b.target.trim();
    if (kind === 'rule' && !ctx.rule(target)) throw badRequest(`no rule '${target}'`);
    if (kind === 'tool') {
      const tool = findTool(target);
      if (!tool) throw badRequest(`'${target}' is not a tool of the RMM catalog (give its name as the inventory shows it)`);
      target = tool.name;
    }
    let expires: string | undefined;
    if (b.expires !== undefined) {
      const t = parseDatetimeText(b.expires);
      if (t === undefined) throw badRequest(`'expires' is not a date: '${b.expires}' (use ISO 8601, e.g. 2027-01-31)`);
      if (t <= BigInt(Date.now()) * 10_000n) throw badRequest(`'expires' is in the past ('${b.expires}'): give a future date`);
      expires = formatDatetime(t);
    }
    const s = addSuppression(ctx.db, {
      target, targetKind: kind, reason: b.reason.trim(),
      ...(b.device ? { device: b.device } : {}), ...(b.user ? { user: b.user } : {}), ...(b.signer ? { signer: b.signer } : {}), ...(expires ? { expires } : {}),
    }, ctx.actor);
    reply.code(201);
    return suppressionView(s);
  });

  app.delete('/api/suppressions/:id', async (req): Promise<Suppression> => {
    const id = Number((req.params as { id: string }).id);
    const s = Number.isInteger(id) ? listSuppressions(ctx.db).find((x) => x.id === id) : undefined;
    if (!s) throw notFound(`suppression '${(req.params as { id: string }).id}'`);
    if (s.revokedAt) throw badRequest(`suppression #${id} is already revoked`);
    revokeSuppression(ctx.db, id, ctx.actor, 'revoked in the web app');
    return suppressionView(listSuppressions(ctx.db).find((x) => x.id === id)!);
  });
}
