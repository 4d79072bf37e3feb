import { test, type Page } from '@playwright/test';
import { textMessage, whatsappNotification } from '../../relay/testing/channelTestSupport.js';
import { GraphApiSimulator } from '../../relay/testing/graphApiSimulator.js';
import { createTenant, registerAtRelay } from './relayConnect.js';
import { useWebModeWithRelay, type WebModeWithRelay } from './webModeWithRelay.js';

export interface WhatsappAccount {
  phoneNumberId: string;
  businessAccountId: string;
  accessToken: string;
  appSecret: string;
}

/** What each test gets: web mode, a real relay process sending through the Graph API simulator. */
export interface WhatsappRelaySetup extends WebModeWithRelay {
  simulator: GraphApiSimulator;
}

/**
 * Starts, before each test of the calling spec, web mode and a relay process whose Graph API is a
 * local simulator that knows `whatsapp`, and stops them after it. The returned object's fields are
 * set for the running test.
 */
export function useWhatsappRelay(whatsapp: WhatsappAccount): WhatsappRelaySetup {
  // The simulator starts first: the relay is started with its address.
  const setup = useWebModeWithRelay(async () => {
    setup.simulator = new GraphApiSimulator();
    const graphApiBaseUrl = await setup.simulator.start();
    setup.simulator.addAccount(whatsapp.phoneNumberId, 'whatsapp', whatsapp.accessToken);
    return { environment: { ARES_GRAPH_API_BASE_URL: graphApiBaseUrl, RELAY_OUTBOUND_POLL_MS: '200' } };
  }) as WhatsappRelaySetup;
  test.afterEach(async () => {
    await setup.simulator.stop();
  });
  return setup;
}

/** Creates the "Bakery" tenant and registers its owner at the relay. */
export async function connectBakeryOwner(page: Page, { web, relay }: WhatsappRelaySetup): Promise<void> {
  await createTenant(page, web.url, 'Bakery');
  await registerAtRelay(page, relay.url, { businessName: 'Bakery', email: 'olive@bakery.test' });
}

/** The webhook body Meta sends when the customer Carla writes `text` to the number (sent `secondsAgo` ago). */
export function carlaWrites(whatsapp: WhatsappAccount, messageId: string, text: string, secondsAgo = 0): string {
  const sentAt = Math.floor(Date.now() / 1000) - secondsAgo;
  const contacts = [{ profile: { name: 'Carla Customer' }, wa_id: '4915112345678' }];
  return JSON.stringify(whatsappNotification([{ contacts, messages: [textMessage(messageId, '4915112345678', text, sentAt)] }], whatsapp.phoneNumberId));
}
