import { createTRPCUntypedClient, createWSClient, httpLink, splitLink, TRPCClientError, wsLink, type TRPCUntypedClient } from '@trpc/client';
import type { AnyTRPCRouter } from '@trpc/server';
import WebSocket from 'ws';
import { z } from 'zod';
import { AresError, isAresErrorCode } from '../../shared/errors.js';
import { signedInSchema, type SignedIn } from '../../shared/schemas/relayAccounts.js';
import { leaseStateSchema, pullResultSchema, pushResultSchema, type Cursor, type LeaseState, type PullResult, type PushInput, type PushResult } from '../../shared/schemas/sync.js';
import type { LiveHandlers, RelayTransport } from './relayTransport.js';

/**
 * The relay's API as the desktop sees it: untyped tRPC calls whose answers are validated with the
 * shared schemas (the desktop does not trust the relay's output blindly, and never imports relay code).
 */
function createClient(relayUrl: string, deviceToken: string | undefined): { client: TRPCUntypedClient<AnyTRPCRouter>; close: () => void } {
  const webSocketClient = deviceToken
    ? createWSClient({
        url: `${relayUrl.replace(/^http/, 'ws')}/trpc`,
        WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
        connectionParams: { deviceToken },
        retryDelayMs: (attempt) => Math.min(10_000, 250 * 2 ** attempt),
        lazy: { enabled: true, closeMs: 5_000 },
      })
    : null;
  const http = httpLink({ url: `${relayUrl}/trpc`, headers: () => (deviceToken ? { Authorization: `Bearer ${deviceToken}` } : {}) });
  const client = createTRPCUntypedClient<AnyTRPCRouter>({
    links: [webSocketClient ? splitLink({ condition: (op) => op.type === 'subscription', true: wsLink({ client: webSocketClient }), false: http }) : http],
  });
  return { client, close: () => void webSocketClient?.close() };
}

/** Turns a relay error into the same readable AresError the relay meant; network failures say "unreachable". */
export function relayFailure(error: unknown): AresError {
  if (error instanceof AresError) return error;
  if (error instanceof TRPCClientError) {
    const code = (error.data as { aresCode?: string } | undefined)?.aresCode;
    if (isAresErrorCode(code) && code !== 'INTERNAL') return new AresError(code, error.message);
    if (!error.data) return new AresError('RELAY_UNREACHABLE', error.message.trim() ? `The relay could not be reached (${error.message.trim()}).` : undefined);
  }
  return new AresError('RELAY_UNREACHABLE');
}

/** A request that never got an answer from the relay (refused, reset, a reused socket the relay had closed). */
function isNetworkFailure(error: unknown): boolean {
  return error instanceof TRPCClientError && !error.data;
}

/**
 * `retryOnce` is for the sync calls, which are idempotent by design (mutation ids, event ids,
 * cursors): a keep-alive socket the relay closed while this process was busy fails the first
 * attempt, and the retry goes through at once instead of waiting for the engine's backoff.
 */
async function call<T>(work: () => Promise<unknown>, schema: z.ZodType<T>, retryOnce = false): Promise<T> {
  let value: unknown;
  try {
    value = await work();
  } catch (error) {
    if (!retryOnce || !isNetworkFailure(error)) throw relayFailure(error);
    try {
      value = await work();
    } catch (again) {
      throw relayFailure(again);
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AresError('RELAY_UNREACHABLE', 'The relay answered with something this app does not understand. Is it the same version?');
  return parsed.data;
}

export async function registerAtRelay(relayUrl: string, input: { businessName: string; ownerName: string; email: string; password: string; deviceName: string }): Promise<SignedIn> {
  const { client } = createClient(relayUrl, undefined);
  return call(() => client.mutation('account.registerTenant', input), signedInSchema);
}

export async function signInAtRelay(relayUrl: string, input: { email: string; password: string; deviceName: string }): Promise<SignedIn> {
  const { client } = createClient(relayUrl, undefined);
  return call(() => client.mutation('account.login', input), signedInSchema);
}

export async function signOutAtRelay(relayUrl: string, deviceToken: string): Promise<void> {
  const { client } = createClient(relayUrl, deviceToken);
  await call(() => client.mutation('account.signOut', undefined), z.unknown());
}

export class TrpcRelayTransport implements RelayTransport {
  readonly #client: TRPCUntypedClient<AnyTRPCRouter>;
  readonly #close: () => void;

  constructor(relayUrl: string, deviceToken: string) {
    const created = createClient(relayUrl, deviceToken);
    this.#client = created.client;
    this.#close = created.close;
  }

  push(input: PushInput): Promise<PushResult> {
    return call(() => this.#client.mutation('sync.push', input), pushResultSchema, true);
  }

  pull(cursor: Cursor, limit: number): Promise<PullResult> {
    return call(() => this.#client.query('sync.pull', { cursor, limit }), pullResultSchema, true);
  }

  live(cursor: Cursor, handlers: LiveHandlers): () => void {
    const subscription = this.#client.subscription(
      'sync.live',
      { cursor },
      {
        onData: (message: unknown) => {
          // Tracked pages arrive as { id, data }.
          const data = message && typeof message === 'object' && 'data' in message ? (message as { data: unknown }).data : message;
          const parsed = pullResultSchema.safeParse(data);
          if (parsed.success) handlers.onPage(parsed.data);
          else handlers.onError(new AresError('RELAY_UNREACHABLE', 'The relay sent a page this app does not understand.'));
        },
        onError: (error: unknown) => handlers.onError(relayFailure(error)),
        onComplete: () => handlers.onError(new AresError('RELAY_UNREACHABLE', 'The relay closed the live connection.')),
        // tRPC's WebSocket client reconnects a dropped or refused socket on its own and reports it only
        // here, never through onError: without this the engine would say "Online" while the relay is down.
        onConnectionStateChange: (state) => {
          if (state.state === 'connecting' && state.error) handlers.onError(relayFailure(state.error));
        },
      },
    );
    return () => subscription.unsubscribe();
  }

  async acknowledge(cursor: Cursor): Promise<void> {
    await call(() => this.#client.mutation('sync.acknowledge', { cursor }), z.unknown(), true);
  }

  acquireLease(ttlSeconds: number): Promise<LeaseState> {
    return call(() => this.#client.mutation('sync.acquireLease', { ttlSeconds }), leaseStateSchema);
  }

  async releaseLease(): Promise<void> {
    await call(() => this.#client.mutation('sync.releaseLease', undefined), z.unknown());
  }

  close(): void {
    this.#close();
  }
}
