import { rm } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { startChatCompletionServer, type ChatCompletionServer } from '../../electron/agent/testing/chatCompletionServer.js';
import { prepareAgentTenant } from './agentSetup.js';
import { startWebMode, type WebModeProcess } from './webMode.js';

const passphrase = 'correct horse battery staple';

let web: WebModeProcess;
let dataDirectory: string;
test.beforeEach(async () => {
  const prepared = await prepareAgentTenant();
  dataDirectory = prepared.dataDirectory;
  web = await startWebMode({ dataDirectory, environment: prepared.environment });
});
test.afterEach(async () => {
  await web.stop();
  await rm(dataDirectory, { recursive: true, force: true });
});

async function openAgent(page: Page) {
  await page.goto(web.url);
  await page.getByRole('button', { name: 'Acme Bags', exact: true }).click();
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('navigation').getByRole('button', { name: 'Agent' }).click();
  await expect(page.getByRole('heading', { name: 'Agent' })).toBeVisible();
}

async function ask(page: Page, question: string) {
  await page.getByLabel('Message as a customer').fill(question);
  await page.getByRole('button', { name: 'Send' }).click();
}

test('the playground answers from the FAQ and catalog offline, shows why, and hands off on request', async ({ page }) => {
  await openAgent(page);
  const chat = page.getByRole('list', { name: 'Test conversation' });
  await expect(chat).toContainText('Hi! How can I help you today?');

  await ask(page, 'How long does delivery take?');
  await expect(chat).toContainText('Standard delivery takes three to five days.');
  const firstDecision = chat.locator('details').first();
  await expect(firstDecision).toContainText('Answered');
  await firstDecision.locator('summary').click();
  await expect(firstDecision.getByRole('list', { name: 'Passages' })).toContainText('faq.md (Shipping › How long does delivery take?)');

  await ask(page, 'How much is the Joust Duffle Bag?');
  await expect(chat).toContainText('Joust Duffle Bag: SKU 24-MB01, price 34.00 USD, 100 in stock.');
  const productDecision = chat.locator('details').nth(1);
  await productDecision.locator('summary').click();
  await expect(productDecision.getByRole('table', { name: 'Products' })).toContainText('24-MB01');

  await ask(page, 'Je veux parler à un humain');
  await expect(chat.locator('details').nth(2)).toContainText('Handed off: The customer asked for a person');
  await expect(chat).toContainText('Let me get a member of our team for you.');
});

test('settings change the hand-off message and connect a model whose key is never shown again', async ({ page }) => {
  const server: ChatCompletionServer = await startChatCompletionServer({ kind: 'stream', text: 'Standard delivery takes three to five days [1].', chunkSize: 4, delayMilliseconds: 20 });
  try {
    await openAgent(page);
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByLabel('Persona', { exact: true }).fill('You are Ada, the assistant of Acme Bags.');
    await page.getByLabel('Hand-off message').fill('A colleague will be with you shortly.');
    await page.getByLabel('Human-only topics').fill('refund');
    await page.getByLabel('Model provider').selectOption('openai_compatible');
    await page.getByLabel('Server address').fill(server.baseUrl);
    await page.getByLabel('Model name').fill('acme-small');
    await page.getByLabel('API key').fill('sk-e2e-secret');
    await page.getByRole('button', { name: 'Save agent settings' }).click();
    await expect(page.getByText('Saved.')).toBeVisible();
    await expect(page.getByText(/Key set\./)).toBeVisible();
    await expect(page.getByLabel('API key')).toHaveValue('');
    await page.reload();
    await page.getByRole('navigation').getByRole('button', { name: 'Agent' }).click();
    await page.getByRole('tab', { name: 'Settings' }).click();
    await expect(page.getByLabel('Persona', { exact: true })).toHaveValue('You are Ada, the assistant of Acme Bags.');
    await expect(page.locator('body')).not.toContainText('sk-e2e-secret');

    await page.getByRole('tab', { name: 'Playground' }).click();
    await ask(page, 'How long does delivery take?');
    const chat = page.getByRole('list', { name: 'Test conversation' });
    await expect(chat).toContainText('Standard delivery takes three to five days.');
    const decision = chat.locator('details').first();
    await expect(decision).toContainText('model acme-small');
    expect(server.requests[0]?.authorization).toBe('Bearer sk-e2e-secret');
    expect(server.requests[0]?.body.messages[0]?.content).toContain('You are Ada, the assistant of Acme Bags.');

    await ask(page, 'I need a refund');
    await expect(chat).toContainText('A colleague will be with you shortly.');
    await expect(chat.locator('details').nth(1)).toContainText('Handed off: A topic marked as human-only');
  } finally {
    await server.close();
  }
});
