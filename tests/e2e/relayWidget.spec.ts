import { expect, test, type Page } from '@playwright/test';
import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { startRelayProcess, type RelayProcess } from './relayProcess.js';
import { startWebMode, type WebModeProcess } from './webMode.js';

const passphrase = 'correct horse battery staple';

let web: WebModeProcess;
let relay: RelayProcess;
let site: Server | null = null;

test.beforeEach(async () => {
  [web, relay] = await Promise.all([startWebMode(), startRelayProcess()]);
});
test.afterEach(async () => {
  site?.close();
  site = null;
  await Promise.all([web.stop(), relay.stop()]);
  await rm(relay.dataDirectory, { recursive: true, force: true });
});

/** The business's own website: a plain page on another origin with the pasted snippet. */
async function serveWebsite(snippet: string): Promise<string> {
  site = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><html><head><title>Bakery</title></head><body><h1>Welcome to the bakery</h1>${snippet}</body></html>`);
  });
  await new Promise<void>((resolve) => site!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(site.address() as { port: number }).port}/`;
}

async function connectDesktop(page: Page): Promise<string> {
  await page.goto(web.url);
  await page.getByLabel('Business name').fill('Bakery');
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Confirm passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Create tenant' }).click();
  await page.getByRole('navigation').getByRole('button', { name: 'Relay' }).click();
  await page.getByLabel('Create a relay account').check();
  await page.getByLabel('Relay address').fill(relay.url);
  await page.getByLabel('Business name').fill('Bakery');
  await page.getByLabel('Your name').fill('Olive Owner');
  await page.getByLabel('Email').fill('olive@bakery.test');
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByRole('button', { name: 'Create account and connect' }).click();
  // Registering hashes a password with scrypt on the relay and the first sync follows: slow on a busy CI machine.
  await expect(page.getByLabel('Sync state')).toHaveText('Online', { timeout: 45_000 });
  return page.getByLabel('Widget snippet').inputValue();
}

async function visitorWrites(visitor: Page, text: string) {
  const frame = visitor.frameLocator('#ares-chat-frame');
  await frame.getByLabel('Message').fill(text);
  await frame.getByRole('button', { name: 'Send' }).click();
}

async function staffReplies(desktop: Page, customerText: string, reply: string) {
  await desktop.getByRole('navigation').getByRole('button', { name: 'Inbox' }).click();
  await expect(desktop.getByLabel('Messages')).toContainText(customerText);
  await desktop.getByLabel('Reply').fill(reply);
  await desktop.getByRole('button', { name: 'Send reply' }).click();
}

test('a visitor writes on a website, staff answer from the desktop, and the visitor sees the answer', async ({ page, browser }) => {
  const snippet = await connectDesktop(page);
  const website = await serveWebsite(snippet);
  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  await visitor.goto(website);
  await visitorWrites(visitor, 'Do you bake sourdough?');
  await staffReplies(page, 'Do you bake sourdough?', 'Yes, every morning.');
  const frame = visitor.frameLocator('#ares-chat-frame');
  await expect(frame.getByRole('log')).toContainText('Yes, every morning.');

  // Reloading keeps the conversation: the token lives in the relay origin's storage.
  await visitor.reload();
  await expect(visitor.frameLocator('#ares-chat-frame').getByRole('log')).toContainText('Do you bake sourdough?');
  await expect(visitor.frameLocator('#ares-chat-frame').getByRole('log')).toContainText('Yes, every morning.');

  // Another visitor gets a conversation of their own and sees nothing of the first.
  const strangerContext = await browser.newContext();
  const stranger = await strangerContext.newPage();
  await stranger.goto(website);
  await visitorWrites(stranger, 'Hello from someone else');
  await expect(stranger.frameLocator('#ares-chat-frame').getByRole('log')).toContainText('Hello from someone else');
  await expect(stranger.frameLocator('#ares-chat-frame').getByRole('log')).not.toContainText('sourdough');
  await visitorContext.close();
  await strangerContext.close();
});

test('the conversation keeps flowing both ways after the relay is killed and restarted', async ({ page, browser }) => {
  const snippet = await connectDesktop(page);
  const website = await serveWebsite(snippet);
  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  await visitor.goto(website);
  await visitorWrites(visitor, 'First question');
  await staffReplies(page, 'First question', 'First answer');
  await expect(visitor.frameLocator('#ares-chat-frame').getByRole('log')).toContainText('First answer');

  await relay.kill();
  relay = await startRelayProcess({ port: relay.port, dataDirectory: relay.dataDirectory });

  await visitorWrites(visitor, 'Second question after the restart');
  await expect(page.getByLabel('Messages')).toContainText('Second question after the restart', { timeout: 30_000 });
  await page.getByLabel('Reply').fill('Second answer');
  await page.getByRole('button', { name: 'Send reply' }).click();
  await expect(visitor.frameLocator('#ares-chat-frame').getByRole('log')).toContainText('Second answer', { timeout: 30_000 });
  await visitorContext.close();
});
