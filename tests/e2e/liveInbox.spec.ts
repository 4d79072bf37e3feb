import { expect, test, type Browser, type Page } from '@playwright/test';
import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { prepareAgentTenant } from './agentSetup.js';
import { passphrase, registerAtRelay } from './relayConnect.js';
import { startRelayProcess, type RelayProcess } from './relayProcess.js';
import { startWebMode, type WebModeProcess } from './webMode.js';

/**
 * The live inbox end to end: a customer on the web widget (one browser context) and a staff member
 * in desktop web mode (another), with the real relay process and the agent runner answering from
 * the tenant's FAQ.
 */
test.setTimeout(180_000);

let web: WebModeProcess;
let relay: RelayProcess;
let dataDirectory: string;
let site: Server | null = null;

test.beforeEach(async () => {
  const prepared = await prepareAgentTenant();
  dataDirectory = prepared.dataDirectory;
  [web, relay] = await Promise.all([startWebMode({ dataDirectory, environment: prepared.environment }), startRelayProcess()]);
});
test.afterEach(async () => {
  site?.close();
  site = null;
  await Promise.all([web.stop(), relay.stop()]);
  await rm(relay.dataDirectory, { recursive: true, force: true });
  await rm(dataDirectory, { recursive: true, force: true });
});

async function serveWebsite(snippet: string): Promise<string> {
  site = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><html><head><title>Acme Bags</title></head><body><h1>Acme Bags</h1>${snippet}</body></html>`);
  });
  await new Promise<void>((resolve) => site!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(site.address() as { port: number }).port}/`;
}

async function connectDesktop(page: Page): Promise<string> {
  await page.goto(web.url);
  await page.getByRole('button', { name: 'Acme Bags', exact: true }).click();
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  return registerAtRelay(page, relay.url, { businessName: 'Acme Bags', email: 'olive@acme.test' });
}

async function openCustomer(browser: Browser, website: string) {
  const context = await browser.newContext();
  const customer = await context.newPage();
  await customer.goto(website);
  await customer.getByRole('button', { name: 'Chat with us' }).click();
  const frame = customer.frameLocator('#ares-chat-frame');
  return {
    context,
    log: frame.getByRole('log'),
    async writes(text: string) {
      await frame.getByLabel('Message').fill(text);
      await frame.getByRole('button', { name: 'Send' }).click();
    },
  };
}

async function liveFlow(page: Page, browser: Browser, restartRelay: boolean) {
  const snippet = await connectDesktop(page);
  const customer = await openCustomer(browser, await serveWebsite(snippet));

  await customer.writes('How long does delivery take?');
  await expect(customer.log).toContainText('Orders leave our warehouse within two business days', { timeout: 60_000 });

  if (restartRelay) {
    await relay.kill();
    relay = await startRelayProcess({ port: relay.port, dataDirectory: relay.dataDirectory });
  }

  await customer.writes('Can I talk to a human please?');
  await expect(customer.log).toContainText('Let me get a member of our team', { timeout: 60_000 });

  await page.getByRole('navigation').getByRole('button', { name: 'Inbox' }).click();
  await expect(page.getByLabel('Conversations needing a person')).toContainText('1 needs a person', { timeout: 30_000 });
  await page.getByRole('button', { name: /Needs a human/ }).click();
  await page.getByRole('list', { name: 'Conversations' }).getByRole('button').first().click();
  const conversation = page.getByRole('region', { name: 'Conversation', exact: true });
  await expect(conversation.getByLabel('Conversation state')).toHaveText('Needs human');
  await expect(conversation.getByLabel('Messages')).toContainText('The customer asked for a person');
  // The AI reply opens to the passage it came from.
  await conversation.getByText('Why the AI said this').first().click();
  await expect(conversation.getByRole('list', { name: 'Passages used' }).first()).toContainText('faq.md');

  await conversation.getByRole('button', { name: 'Take over' }).click();
  await expect(conversation.getByLabel('Conversation state')).toHaveText('Human: Olive Owner');
  await conversation.getByLabel('Reply').fill('Hi, this is Olive. Happy to help!');
  await conversation.getByRole('button', { name: 'Send reply' }).click();
  await expect(customer.log).toContainText('Hi, this is Olive. Happy to help!', { timeout: 30_000 });

  await conversation.getByRole('button', { name: 'Hand back to AI' }).click();
  await expect(customer.log).toContainText('You are talking to our automated assistant again', { timeout: 30_000 });
  await customer.writes('What are your opening hours?');
  await expect(customer.log).toContainText('Monday to Saturday, from 9:00 to 19:00', { timeout: 60_000 });
  await page.getByRole('button', { name: /^All/ }).click();
  await expect(conversation.getByLabel('Conversation state')).toHaveText('AI');
  await customer.context.close();
}

test('the AI answers a widget customer, hands off on request, staff take over and reply, and the AI answers again after hand-back', async ({ page, browser }) => {
  await liveFlow(page, browser, false);
});

test('the same live flow passes with the relay killed and restarted in the middle', async ({ page, browser }) => {
  await liveFlow(page, browser, true);
});
