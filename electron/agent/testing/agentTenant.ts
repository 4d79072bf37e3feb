import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultAgentSettings, type AgentSettings } from '../../../shared/schemas/agent.js';
import { createCoreCaller } from '../../core/appRouter.js';
import { AresCore } from '../../core/aresCore.js';
import { useTestModels } from '../../knowledge/testing/testModels.js';

export const passphrase = 'correct horse battery staple';

export const faqMarkdown = `# Shipping

## How long does delivery take?
Orders leave our warehouse within two business days. Standard delivery takes three to five days.

## Do you ship internationally?
We ship to most countries in Europe. Customs fees are paid by the customer.

# Returns

## What is your return policy?
You can send back any unused item within 30 days for a full refund to the original card.

# Store

Q: What are your opening hours?
A: Our shop in Lyon is open Monday to Saturday, from 9:00 to 19:00.
`;

export const catalogCsv = `sku,name,price,currency,qty,url,description
24-MB01,Joust Duffle Bag,34.00,USD,100,https://shop.example/joust-duffle-bag,A sporty bag for the gym.
24-MB04,Strive Shoulder Pack,32.00,USD,0,https://shop.example/strive-shoulder-pack,Compact pack with a padded strap.
24-WG02,Didi Sport Watch,92.00,USD,7,https://shop.example/didi-sport-watch,A watch for runners with a heart rate monitor.
`;

export type Caller = ReturnType<typeof createCoreCaller>;

export interface AgentTenant {
  core: AresCore;
  caller: Caller;
  dataDirectory: string;
  updateSettings(change: (settings: AgentSettings) => AgentSettings, apiKey?: string): Promise<void>;
  dispose(): Promise<void>;
}

const base64 = (text: string) => Buffer.from(text).toString('base64');

export async function importText(caller: Caller, name: string, text: string): Promise<void> {
  const result = await caller.knowledge.importFile({ name, contentBase64: base64(text) });
  if (result.status !== 'done') throw new Error(`import of ${name} failed: ${result.errorMessage}`);
}

/**
 * A real tenant with the small FAQ and catalog imported through the knowledge base's own import
 * (tiny generated embedding model, real SQLCipher store, real in-memory index).
 * `other` is created first as another tenant, to prove its data never reaches this one.
 */
export async function createAgentTenant(options: { other?: { name: string; faq: string }; dataDirectory?: string } = {}): Promise<AgentTenant> {
  useTestModels();
  const dataDirectory = options.dataDirectory ?? (await mkdtemp(join(tmpdir(), 'ares-agent-')));
  const core = new AresCore({ dataDirectory, kdfParameters: { N: 2 ** 14, r: 8, p: 1 } });
  const caller = createCoreCaller({ core });
  if (options.other) {
    await core.createTenant(options.other.name, passphrase);
    await importText(caller, 'other-faq.md', options.other.faq);
    await core.lock();
  }
  await core.createTenant('Acme Bags', passphrase);
  await importText(caller, 'faq.md', faqMarkdown);
  await importText(caller, 'catalog.csv', catalogCsv);
  return {
    core,
    caller,
    dataDirectory,
    async updateSettings(change, apiKey) {
      const current = await caller.agent.settings();
      const { apiKeySet: _apiKeySet, ...settings } = current;
      await caller.agent.updateSettings({ settings: change(structuredClone(settings)), ...(apiKey ? { apiKey } : {}) });
    },
    async dispose() {
      await core.dispose();
      await rm(dataDirectory, { recursive: true, force: true });
    },
  };
}

export { defaultAgentSettings };
