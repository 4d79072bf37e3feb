import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient, createWSClient, httpBatchLink, splitLink, TRPCClientError, wsLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from '../../../electron/core/appRouter';
import type { AresIpcBridge } from '../../../shared/ipcBridge';
import { ipcLink } from '../../../shared/ipcLink';

declare global {
  interface Window {
    /** Present only inside the Electron app (electron/preload.ts). */
    aresIpc?: AresIpcBridge;
  }
}

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

/** In Electron the API travels over IPC; in web mode over HTTP, with subscriptions on a WebSocket. */
export function createApiClient() {
  if (window.aresIpc) return createTRPCClient<AppRouter>({ links: [ipcLink<AppRouter>(window.aresIpc)] });
  const webSocketUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/trpc`;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink({ client: createWSClient({ url: webSocketUrl }) }),
        false: httpBatchLink({ url: '/trpc' }),
      }),
    ],
  });
}

export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}

/** The readable message of an API error (the core already made it safe to show). */
export function errorText(error: unknown): string {
  if (error instanceof TRPCClientError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

export function errorCode(error: unknown): string | undefined {
  if (error instanceof TRPCClientError) return (error.data as { aresCode?: string } | undefined)?.aresCode;
  return undefined;
}

/**
 * After a lock, drop every cached answer that came from the tenant (documents, conversations) so
 * nothing of it stays in the page; the vault's own queries stay so their observers keep working.
 */
export function forgetTenantData(queryClient: QueryClient): void {
  queryClient.removeQueries({
    predicate: (query) => {
      const path = query.queryKey[0];
      return !(Array.isArray(path) && path[0] === 'vault');
    },
  });
}
