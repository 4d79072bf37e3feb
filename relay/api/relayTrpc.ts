import { initTRPC, TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { ZodError } from 'zod';
import { AresError, errorMessages, isAresErrorCode, type AresErrorCode } from '../../shared/errors.js';
import type { RelayServices } from '../relayServices.js';

export interface RelayContext {
  services: RelayServices;
  /** The caller's address (after the trusted proxy, if configured), for rate limits. */
  address: string;
  deviceToken: string | undefined;
}

const httpCodes: Partial<Record<AresErrorCode, TRPC_ERROR_CODE_KEY>> = {
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  CONFLICT: 'CONFLICT',
  INVALID_INPUT: 'BAD_REQUEST',
};

function describe(error: TRPCError, services: RelayServices | undefined): { aresCode: AresErrorCode; message: string; details?: Record<string, unknown> } {
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
  if (error.code === 'PAYLOAD_TOO_LARGE') return { aresCode: 'INVALID_INPUT', message: 'The request is too large.' };
  if (error.code === 'BAD_REQUEST' || error.code === 'PARSE_ERROR' || error.code === 'METHOD_NOT_SUPPORTED') {
    return { aresCode: 'INVALID_INPUT', message: errorMessages.INVALID_INPUT };
  }
  // Only the relay's own log sees what went wrong; the client gets INTERNAL and no stack.
  services?.logger.error('relay: unexpected error', { error: (error.cause ?? error).message });
  return { aresCode: 'INTERNAL', message: errorMessages.INTERNAL };
}

const t = initTRPC.context<RelayContext>().create({
  errorFormatter({ shape, error, ctx }) {
    const { aresCode, message, details } = describe(error, ctx?.services);
    return {
      code: shape.code,
      message,
      data: { code: shape.data.code, httpStatus: shape.data.httpStatus, aresCode, ...(details ? { details } : {}), ...(shape.data.path ? { path: shape.data.path } : {}) },
    };
  },
});

/** Gives AresErrors their HTTP status (401, 403, 429 ...) instead of a generic 500. */
const errorStatus = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AresError) {
    const code = httpCodes[result.error.cause.code];
    if (code) return { ...result, error: new TRPCError({ code, message: result.error.cause.message, cause: result.error.cause }) };
  }
  return result;
});

export const relayRouter = t.router;
export const publicRelayProcedure = t.procedure.use(errorStatus);

/** Every tenant-scoped procedure: the tenant comes from the device token, never from the input. */
export const deviceProcedure = publicRelayProcedure.use(async ({ ctx, next }) => {
  const device = await ctx.services.accounts.authenticate(ctx.deviceToken);
  return next({ ctx: { device } });
});

export const adminProcedure = deviceProcedure.use(({ ctx, next }) => {
  if (ctx.device.role === 'agent') throw new AresError('FORBIDDEN', 'Only owners and admins can do this.');
  return next();
});

export const createRelayCallerFactory = t.createCallerFactory;
