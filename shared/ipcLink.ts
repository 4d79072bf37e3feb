import { TRPCClientError, type TRPCLink } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import { observable } from '@trpc/server/observable';
import type { AresIpcBridge, IpcResponse } from './ipcBridge.js';

/**
 * A tRPC link over Electron IPC. Requests are numbered; responses and subscription data come back
 * with the same number. Written here (about 50 lines) because the published IPC adapters lag tRPC
 * v11 and accept messages from any frame.
 */
export function ipcLink<TRouter extends AnyRouter>(bridge: AresIpcBridge): TRPCLink<TRouter> {
  let nextId = 1;
  const listeners = new Map<number, (response: IpcResponse) => void>();
  bridge.onResponse((response: IpcResponse) => listeners.get(response.id)?.(response));

  return () =>
    ({ op }) =>
      observable((observer) => {
        const id = nextId++;
        listeners.set(id, (response) => {
          switch (response.kind) {
            case 'result':
              observer.next({ result: { type: 'data', data: response.data } });
              observer.complete();
              listeners.delete(id);
              break;
            case 'data':
              observer.next({ result: { type: 'data', data: response.data } });
              break;
            case 'error':
              observer.error(TRPCClientError.from({ error: { code: -32000, message: response.error.message, data: response.error.data } }));
              listeners.delete(id);
              break;
            case 'stopped':
              observer.complete();
              listeners.delete(id);
              break;
          }
        });
        bridge.send({ id, type: op.type, path: op.path, input: op.input });
        return () => {
          if (op.type === 'subscription' && listeners.has(id)) {
            bridge.send({ id, type: 'subscription.stop', path: op.path });
          }
          listeners.delete(id);
        };
      });
}
