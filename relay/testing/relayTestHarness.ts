import { createTRPCClient, createWSClient, httpLink, splitLink, wsLink } from '@trpc/client';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { RelayRouter } from '../api/relayRouter.js';
import { createRelayLogger } from '../relayLogger.js';
import { relayConfigSchema, type RelayConfig } from '../relayConfig.js';
import { startRelay, type RunningRelay } from '../startRelay.js';
import { timeOrderedId } from '../../shared/timeOrderedId.js';
import { dropPostgresSchema, relaySuiteDatabaseUrl } from './testStorage.js';

export interface TestRelay extends RunningRelay {
  dataDirectory: string;
  client(deviceToken?: string): ReturnType<typeof createRelayTestClient>['client'];
  stop(): Promise<void>;
}

/** A real relay on a free loopback port with a fresh data folder and cheap password hashing. */
export async function startTestRelay(overrides: Partial<RelayConfig> = {}): Promise<TestRelay> {
  const dataDirectory = overrides.dataDir ?? (await mkdtemp(join(tmpdir(), 'ares-relay-test-')));
  // ARES_TEST_RELAY_STORAGE=postgres runs every test relay on a fresh PostgreSQL schema (see testStorage.ts).
  const databaseUrl = overrides.databaseUrl ?? relaySuiteDatabaseUrl(dataDirectory);
  const config = relayConfigSchema.parse({ port: 0, dataDir: dataDirectory, logLevel: 'silent', scryptCost: 10, ...overrides, databaseUrl });
  const relay = await startRelay(config, createRelayLogger('silent'));
  const closers: (() => Promise<void>)[] = [];
  return {
    ...relay,
    dataDirectory,
    client(deviceToken) {
      const created = createRelayTestClient(relay.url, deviceToken);
      closers.push(created.close);
      return created.client;
    },
    async stop() {
      await Promise.all(closers.map((close) => close()));
      await relay.close();
      if (!overrides.dataDir) await rm(dataDirectory, { recursive: true, force: true });
      if (databaseUrl && !overrides.databaseUrl) await dropPostgresSchema(databaseUrl);
    },
  };
}

export function createRelayTestClient(url: string, deviceToken?: string) {
  const webSocketClient = createWSClient({
    url: `${url.replace(/^http/, 'ws')}/trpc`,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    connectionParams: deviceToken ? { deviceToken } : {},
    lazy: { enabled: true, closeMs: 1000 },
  });
  const client = createTRPCClient<RelayRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink({ client: webSocketClient }),
        false: httpLink({ url: `${url}/trpc`, headers: () => (deviceToken ? { Authorization: `Bearer ${deviceToken}` } : {}) }),
      }),
    ],
  });
  return { client, close: () => webSocketClient.close() };
}

/**
 * Fills the tenant's log with `count` staff messages spread over `conversations` conversations,
 * pushed 500 at a time as one desktop's outbox would (for backlogs a desktop then catches up).
 */
export async function pushStaffMessages(
  client: ReturnType<typeof createRelayTestClient>['client'],
  count: number,
  options: { conversations: number; authorName: string },
): Promise<void> {
  const clientId = crypto.randomUUID();
  for (let first = 1; first <= count; first += 500) {
    const mutations = Array.from({ length: Math.min(500, count - first + 1) }, (_, offset) => ({
      mutationId: first + offset,
      event: {
        eventId: timeOrderedId(),
        conversationId: `conversation-${(first + offset) % options.conversations}`,
        occurredAt: Date.now(),
        body: { type: 'staff.message' as const, messageId: `m-${first + offset}`, authorName: options.authorName, text: `backlog message ${first + offset} with a little text in it` },
      },
    }));
    await client.sync.push.mutate({ clientId, mutations });
  }
}
