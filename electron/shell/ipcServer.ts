import { getErrorShape, TRPCError, callTRPCProcedure, getTRPCErrorFromUnknown } from '@trpc/server';
import { isAsyncIterable } from '@trpc/server/unstable-core-do-not-import';
import type { IpcMainEvent, WebContents } from 'electron';
import { appRouter } from '../core/appRouter.js';
import type { AresCore } from '../core/aresCore.js';
import { ipcRequestSchema } from './ipcProtocol.js';

/**
 * Serves the tRPC router over Electron IPC. A message is accepted only from the app's own window
 * and its top frame loaded from the app:// origin: an injected iframe or another window gets nothing.
 */
export function createIpcServer(options: { core: AresCore; isTrustedSender: (event: IpcMainEvent) => boolean }) {
  const subscriptions = new Map<string, AbortController>();
  const keyOf = (sender: WebContents, id: number) => `${sender.id}:${id}`;

  const errorPayload = (error: unknown, path: string, type: 'query' | 'mutation' | 'subscription') => {
    const trpcError = getTRPCErrorFromUnknown(error);
    const shape = getErrorShape({
      config: appRouter._def._config,
      error: trpcError,
      type,
      path,
      input: undefined,
      ctx: { core: options.core },
    });
    return { message: shape.message, data: shape.data };
  };

  async function handle(event: IpcMainEvent, raw: unknown): Promise<void> {
    if (!options.isTrustedSender(event)) return;
    const parsed = ipcRequestSchema.safeParse(raw);
    if (!parsed.success) return;
    const request = parsed.data;
    const reply = (message: Record<string, unknown>) => {
      if (!event.sender.isDestroyed()) event.sender.send('ares:trpc:response', { id: request.id, ...message });
    };
    const key = keyOf(event.sender, request.id);

    if (request.type === 'subscription.stop') {
      subscriptions.get(key)?.abort();
      subscriptions.delete(key);
      return;
    }
    const controller = new AbortController();
    try {
      const result = await callTRPCProcedure({
        router: appRouter,
        path: request.path,
        getRawInput: async () => request.input,
        ctx: { core: options.core },
        type: request.type,
        signal: controller.signal,
        batchIndex: 0,
      });
      if (request.type !== 'subscription') {
        reply({ kind: 'result', data: result });
        return;
      }
      if (!isAsyncIterable(result)) throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'subscription is not iterable' });
      subscriptions.set(key, controller);
      event.sender.once('destroyed', () => controller.abort());
      for await (const data of result) {
        if (controller.signal.aborted) break;
        reply({ kind: 'data', data });
      }
      reply({ kind: 'stopped' });
    } catch (error) {
      if (!controller.signal.aborted) reply({ kind: 'error', error: errorPayload(error, request.path, request.type) });
    } finally {
      subscriptions.delete(key);
    }
  }

  return {
    handle: (event: IpcMainEvent, raw: unknown) => void handle(event, raw),
    stopAll: () => {
      for (const controller of subscriptions.values()) controller.abort();
      subscriptions.clear();
    },
  };
}
