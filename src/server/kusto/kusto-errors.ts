/**
 * Errors in the OneApiErrors shape Kusto answers with (`{"error": {code, message, @type, @message,
 * @context, @permanent, innererror?}}`), for a failed request (4xx body) and for a failure reported inside
 * a 200 answer (DataSetCompletion.OneApiErrors, QueryCompletionInformation).
 */
import { randomUUID } from 'node:crypto';

export class KustoRequestError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly inner?: { code: string; message: string; type: string }) {
    super(message);
  }
}

export interface OneApiError {
  error: Record<string, unknown>;
}

const TYPES: Record<string, string> = {
  General_BadRequest: 'Kusto.Data.Exceptions.KustoBadRequestException',
  BadRequest_SyntaxError: 'Kusto.Data.Exceptions.SyntaxException',
  BadRequest_EntityNotFound: 'Kusto.Data.Exceptions.EntityNotFoundException',
  LimitsExceeded: 'Kusto.Data.Exceptions.KustoServicePartialQueryFailureLimitsExceededException',
  RequestExecutionTimeout: 'Kusto.Data.Exceptions.KustoRequestExecutionTimeoutException',
  Unauthorized: 'Kusto.Data.Exceptions.KustoUnauthorizedException',
  Forbidden: 'Kusto.Data.Exceptions.KustoForbiddenException',
  Internal: 'Kusto.Data.Exceptions.KustoServiceException',
};

export function oneApiError(code: string, message: string, ids: { clientRequestId: string; activityId: string }, inner?: { code: string; message: string; type: string }): OneApiError {
  const context = { timestamp: new Date().toISOString(), serviceAlias: 'KQLITE', clientRequestId: ids.clientRequestId, activityId: ids.activityId, subActivityId: randomUUID() };
  const error: Record<string, unknown> = {
    code, message, '@type': TYPES[code] ?? TYPES['Internal'], '@message': inner ? `${inner.message}` : message, '@context': context, '@permanent': code !== 'RequestExecutionTimeout' && code !== 'Internal',
  };
  if (inner) error['innererror'] = { code: inner.code, message: inner.message, '@type': inner.type, '@message': inner.message, '@context': context, '@permanent': true };
  return { error };
}
