import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { AresError, errorMessages, isAresErrorCode, type AresErrorCode } from '../../shared/errors.js';
import type { AresCore } from './aresCore.js';

export interface CoreContext {
  core: AresCore;
}

/** What every error carries to a client: a code from shared/errors.ts and a message a person can read. */
export interface AresErrorData {
  aresCode: AresErrorCode;
  details?: Record<string, unknown>;
}

function describeError(error: TRPCError): { aresCode: AresErrorCode; message: string; details?: Record<string, unknown> } {
  const cause = error.cause;
  if (cause instanceof AresError) return { aresCode: cause.code, message: cause.message, ...(cause.details ? { details: cause.details } : {}) };
  if (cause instanceof ZodError) {
    const issue = cause.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return { aresCode: 'INVALID_INPUT', message: issue ? `${where}${issue.message}` : errorMessages.INVALID_INPUT };
  }
  if (isAresErrorCode(error.message)) return { aresCode: error.message, message: errorMessages[error.message] };
  if (error.code === 'NOT_FOUND') return { aresCode: 'NOT_FOUND', message: errorMessages.NOT_FOUND };
  if (error.code === 'UNAUTHORIZED') return { aresCode: 'UNAUTHORIZED', message: errorMessages.UNAUTHORIZED };
  if (error.code === 'BAD_REQUEST' || error.code === 'PARSE_ERROR') {
    return { aresCode: 'INVALID_INPUT', message: errorMessages.INVALID_INPUT };
  }
  // Anything unexpected is logged here with its detail and reaches the client only as INTERNAL.
  console.error('core: unexpected error', error.cause ?? error);
  return { aresCode: 'INTERNAL', message: errorMessages.INTERNAL };
}

const t = initTRPC.context<CoreContext>().create({
  errorFormatter({ shape, error }) {
    const { aresCode, message, details } = describeError(error);
    const data: AresErrorData & { code: string; httpStatus: number; path?: string } = {
      code: shape.data.code,
      httpStatus: shape.data.httpStatus,
      aresCode,
      ...(details ? { details } : {}),
      ...(shape.data.path ? { path: shape.data.path } : {}),
    };
    return { code: shape.code, message, data };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;

/**
 * Every procedure that touches tenant data goes through here: it runs in the unlocked tenant's
 * session and never takes a tenant id from its input, so a caller cannot reach another tenant.
 */
export const tenantProcedure = t.procedure.use(({ ctx, next }) => {
  const session = ctx.core.requireSession();
  ctx.core.touch();
  return next({ ctx: { session } });
});
