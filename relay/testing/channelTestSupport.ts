import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MetaChannel } from '../../shared/schemas/channels.js';
import type { LoggedEvent } from '../../shared/schemas/sync.js';
import { signMetaPayload } from '../channels/meta/webhookSignature.js';
import type { RelayConfig } from '../relayConfig.js';
import { GraphApiSimulator } from './graphApiSimulator.js';
import { startTestRelay, type TestRelay } from './relayTestHarness.js';

/** ../shared/fixtures relative to the repository (read-only, maintained by others; may be absent). */
export const fixturesDirectory = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures/webhooks');
export const fixturesPresent = existsSync(fixturesDirectory);
export const missingFixturesMessage = `Webhook fixtures not found at ${fixturesDirectory}; the fixture contract tests are skipped (the self-signed payload tests still run).`;

export function readFixture(relativePath: string): unknown {
  return JSON.parse(readFileSync(join(fixturesDirectory, relativePath), 'utf8')) as unknown;
}

export const whatsappAccount = { phoneNumberId: '106540352242922', businessAccountId: '102290129340398', accessToken: 'EAAG-test-whatsapp-token', appSecret: 'whatsapp-app-secret-for-tests' };
export const messengerAccount = { pageId: '682498302938465', pageAccessToken: 'EAAG-test-page-token', appSecret: 'messenger-app-secret-for-tests' };

export interface ChannelRelay {
  relay: TestRelay;
  simulator: GraphApiSimulator;
  ownerToken: string;
  tenantId: string;
  callbackPath: Record<MetaChannel, string>;
  verifyToken: Record<MetaChannel, string>;
  /** POSTs bytes exactly as given, signed with `secret` (the connection's own by default) unless `signature` is given or null. */
  post(channel: MetaChannel, body: string | Buffer, options?: { secret?: string; signature?: string | null }): Promise<{ status: number; text: string }>;
  log(): Promise<LoggedEvent[]>;
  stop(): Promise<void>;
}

let registered = 0;

/** A real relay with WhatsApp and Messenger connected, sending to a Graph API simulator on loopback. */
export async function startChannelRelay(overrides: Partial<RelayConfig> = {}): Promise<ChannelRelay> {
  const simulator = new GraphApiSimulator();
  const graphApiBaseUrl = await simulator.start();
  simulator.addAccount(whatsappAccount.phoneNumberId, 'whatsapp', whatsappAccount.accessToken);
  simulator.addAccount(messengerAccount.pageId, 'messenger', messengerAccount.pageAccessToken);
  const relay = await startTestRelay({ graphApiBaseUrl, outboundRetryBaseMilliseconds: 20, outboundPollMilliseconds: 50, rateLimitScale: 0, ...overrides });
  registered += 1;
  const signedIn = await relay.client().account.registerTenant.mutate({
    businessName: 'Bakery',
    ownerName: 'Olive Owner',
    email: `olive-${process.pid}-${registered}-${Date.now()}@bakery.test`,
    password: 'a long enough password',
    deviceName: 'tests',
  });
  const owner = relay.client(signedIn.deviceToken);
  const whatsapp = await owner.channels.configureWhatsapp.mutate({
    phoneNumberId: whatsappAccount.phoneNumberId,
    businessAccountId: whatsappAccount.businessAccountId,
    accessToken: whatsappAccount.accessToken,
    appSecret: whatsappAccount.appSecret,
    templates: [{ name: 'order_update', language: 'en_US', bodyParameterCount: 1, description: 'Order status' }],
  });
  const messenger = await owner.channels.configureMessenger.mutate(messengerAccount);
  const secrets: Record<MetaChannel, string> = { whatsapp: whatsappAccount.appSecret, messenger: messengerAccount.appSecret };
  const callbackPath = { whatsapp: new URL(whatsapp.callbackUrl).pathname, messenger: new URL(messenger.callbackUrl).pathname };
  return {
    relay,
    simulator,
    ownerToken: signedIn.deviceToken,
    tenantId: signedIn.tenantId,
    callbackPath,
    verifyToken: { whatsapp: whatsapp.verifyToken, messenger: messenger.verifyToken },
    async post(channel, body, options = {}) {
      const bytes = typeof body === 'string' ? Buffer.from(body) : body;
      const signature = options.signature === undefined ? signMetaPayload(bytes, options.secret ?? secrets[channel]) : options.signature;
      const response = await fetch(`${relay.url}${callbackPath[channel]}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(signature === null ? {} : { 'X-Hub-Signature-256': signature }) },
        body: new Uint8Array(bytes),
      });
      return { status: response.status, text: await response.text() };
    },
    async log() {
      const events: LoggedEvent[] = [];
      for (let after = 0; ; ) {
        const page = await relay.services.storage.readLog(signedIn.tenantId, after, 5000);
        if (page.length === 0) return events;
        events.push(...page);
        after = page.at(-1)!.seq;
      }
    },
    async stop() {
      await relay.stop();
      await simulator.stop();
    },
  };
}

/** A WhatsApp notification of our own, in Meta's shape, for the connection's number. */
export function whatsappNotification(changes: { messages?: unknown[]; statuses?: unknown[]; contacts?: unknown[] }[], phoneNumberId = whatsappAccount.phoneNumberId) {
  return {
    object: 'whatsapp_business_account',
    entry: changes.map((value, index) => ({
      id: `${whatsappAccount.businessAccountId}${index}`,
      changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId }, ...value } }],
    })),
  };
}

export const textMessage = (id: string, from: string, body: string, timestamp = Math.floor(Date.now() / 1000)) => ({ from, id, timestamp: String(timestamp), type: 'text', text: { body } });
export const statusUpdate = (id: string, recipient: string, status: string, timestamp = Math.floor(Date.now() / 1000)) => ({ id, recipient_id: recipient, status, timestamp: String(timestamp) });
