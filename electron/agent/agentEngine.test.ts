import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultAgentSettings } from '../../shared/schemas/agent.js';
import { createAgentTenant, type AgentTenant } from './testing/agentTenant.js';

describe('the agent without a language model', () => {
  let tenant: AgentTenant;
  beforeAll(async () => {
    tenant = await createAgentTenant();
  });
  afterAll(() => tenant.dispose());
  beforeEach(() => tenant.updateSettings(() => structuredClone(defaultAgentSettings)));

  it('answers an FAQ question with the answer under its heading, citing where it came from', async () => {
    const decision = await tenant.caller.agent.ask({ question: 'How long does delivery take?' });
    expect(decision).toMatchObject({ outcome: 'answer', answeredBy: 'extractive', handOffReason: null, model: null });
    expect(decision.reply).toBe('Orders leave our warehouse within two business days. Standard delivery takes three to five days.');
    expect(decision.confidence).toBeGreaterThanOrEqual(decision.threshold);
    const cited = decision.passages.filter((passage) => passage.cited);
    expect(cited).toHaveLength(1);
    expect(cited[0]).toMatchObject({ sourceName: 'faq.md', location: { headingPath: ['Shipping', 'How long does delivery take?'] } });
    expect(decision.staffNote).toContain('faq.md');
  });

  it('answers from a "Q: … A: …" pair with the answer only', async () => {
    const decision = await tenant.caller.agent.ask({ question: 'What are your opening hours?' });
    expect(decision.outcome).toBe('answer');
    expect(decision.reply).toBe('Our shop in Lyon is open Monday to Saturday, from 9:00 to 19:00.');
  });

  it('gives product facts straight from the catalog row: name, price with currency, stock and link', async () => {
    const decision = await tenant.caller.agent.ask({ question: 'How much is the Joust Duffle Bag?' });
    expect(decision.outcome).toBe('answer');
    expect(decision.reply).toBe('Joust Duffle Bag: SKU 24-MB01, price 34.00 USD, 100 in stock. Link: https://shop.example/joust-duffle-bag');
    expect(decision.products).toEqual([expect.objectContaining({ sku: '24-MB01', price: 34, currency: 'USD', stock: 100, row: 1 })]);
    expect(decision.products[0]!.passageNumber).not.toBeNull();
  });

  it('says a product is out of stock when its row says 0, and finds a product by SKU', async () => {
    const byName = await tenant.caller.agent.ask({ question: 'Is the Strive Shoulder Pack available?' });
    expect(byName.reply).toContain('out of stock');
    const bySku = await tenant.caller.agent.ask({ question: 'price of 24-WG02' });
    expect(bySku.reply).toContain('Didi Sport Watch: SKU 24-WG02, price 92.00 USD, 7 in stock');
  });

  it('hands off with low_confidence when the knowledge base does not cover the question', async () => {
    const decision = await tenant.caller.agent.ask({ question: 'Do you repair surfboards on Sundays?' });
    expect(decision).toMatchObject({ outcome: 'hand_off', handOffReason: 'low_confidence', reply: defaultAgentSettings.handOff.customerMessage });
    expect(decision.confidence).toBeLessThan(decision.threshold);
    expect(decision.staffNote).toMatch(/threshold is 60%/);
    expect(decision.passages.length).toBeGreaterThan(0);
  });

  it('hands off when the customer asks for a person, in Spanish and in German', async () => {
    for (const question of ['Quiero hablar con una persona, por favor', 'Kann ich mit einem Menschen sprechen?']) {
      const decision = await tenant.caller.agent.ask({ question });
      expect(decision).toMatchObject({ outcome: 'hand_off', handOffReason: 'customer_request' });
    }
  });

  it('hands off on a human-only topic and uses the configured hand-off message', async () => {
    await tenant.updateSettings((settings) => ({ ...settings, humanOnlyTopics: ['refund'], handOff: { ...settings.handOff, customerMessage: 'A colleague will take it from here.' } }));
    const decision = await tenant.caller.agent.ask({ question: 'What is your return policy for a refund?' });
    expect(decision).toMatchObject({ outcome: 'hand_off', handOffReason: 'human_only_topic', reply: 'A colleague will take it from here.' });
    expect(decision.staffNote).toContain('"refund"');
  });

  it('hands off once it has replied the maximum number of times since staff last spoke', async () => {
    await tenant.updateSettings((settings) => ({ ...settings, handOff: { ...settings.handOff, maximumAiTurns: 2 } }));
    const history = [
      { role: 'customer' as const, text: 'How long does delivery take?' },
      { role: 'ai' as const, text: 'Three to five days.' },
      { role: 'customer' as const, text: 'Do you ship internationally?' },
      { role: 'ai' as const, text: 'Yes, to most of Europe.' },
    ];
    const limited = await tenant.caller.agent.ask({ question: 'What is your return policy?', history });
    expect(limited.handOffReason).toBe('ai_turn_limit');
    // After staff spoke (a hand-back), the allowance starts again.
    const afterStaff = await tenant.caller.agent.ask({ question: 'What is your return policy?', history: [...history, { role: 'staff', text: 'Back to the assistant.' }] });
    expect(afterStaff.outcome).toBe('answer');
  });

  it('answers a greeting with the tenant greeting', async () => {
    const decision = await tenant.caller.agent.ask({ question: 'Hola' });
    expect(decision).toMatchObject({ outcome: 'answer', answeredBy: 'greeting', reply: defaultAgentSettings.greeting });
  });

  it('records each decision so staff can look up why it was made', async () => {
    const decision = await tenant.caller.agent.ask({ question: 'Do you ship internationally?' });
    expect(await tenant.caller.agent.decision({ decisionId: decision.id })).toEqual(decision);
  });

  it('keeps a playground conversation and answers follow-ups in its context', async () => {
    const started = await tenant.caller.agent.playground.start();
    expect(started.turns).toEqual([{ role: 'ai', text: defaultAgentSettings.greeting }]);
    const first = await tenant.caller.agent.playground.send({ conversationId: started.conversationId, text: 'Tell me about the Didi Sport Watch' });
    expect(first.turns.at(-1)?.decision?.products[0]?.sku).toBe('24-WG02');
    const second = await tenant.caller.agent.playground.send({ conversationId: started.conversationId, text: 'and the price?' });
    expect(second.turns).toHaveLength(5);
    expect(second.turns.at(-1)?.text).toContain('92.00 USD');
  });
});

describe('agent settings', () => {
  let tenant: AgentTenant;
  beforeAll(async () => {
    tenant = await createAgentTenant();
  });
  afterAll(() => tenant.dispose());

  it('store the API key in the vault and only ever report that one is set', async () => {
    const settings = { ...structuredClone(defaultAgentSettings), model: { provider: 'openai_compatible' as const, baseUrl: 'https://llm.example/v1', modelName: 'small', timeoutSeconds: 20 } };
    const view = await tenant.caller.agent.updateSettings({ settings, apiKey: 'sk-secret-value' });
    expect(view.apiKeySet).toBe(true);
    expect(JSON.stringify(view)).not.toContain('sk-secret-value');
    expect(JSON.stringify(await tenant.caller.agent.settings())).not.toContain('sk-secret-value');
    // Saving other settings keeps the key; clearing removes it.
    expect((await tenant.caller.agent.updateSettings({ settings: { ...settings, tone: 'warm' } })).apiKeySet).toBe(true);
    expect((await tenant.caller.agent.updateSettings({ settings, clearApiKey: true })).apiKeySet).toBe(false);
  });

  it('refuse a model address that would send the key over plain HTTP to another machine', async () => {
    const settings = { ...structuredClone(defaultAgentSettings), model: { provider: 'openai_compatible' as const, baseUrl: 'http://llm.example/v1', modelName: 'small', timeoutSeconds: 20 } };
    await expect(tenant.caller.agent.updateSettings({ settings })).rejects.toThrow(/https/);
    const local = { ...settings, model: { ...settings.model, baseUrl: 'http://127.0.0.1:11434/v1' } };
    expect((await tenant.caller.agent.updateSettings({ settings: local })).model.baseUrl).toBe('http://127.0.0.1:11434/v1');
  });

  it('survive a lock and unlock', async () => {
    await tenant.updateSettings((settings) => ({ ...settings, persona: 'You are Ada.', rules: ['Be brief.'] }));
    await tenant.core.lock();
    await tenant.core.unlock('Acme Bags', 'correct horse battery staple');
    expect(await tenant.caller.agent.settings()).toMatchObject({ persona: 'You are Ada.', rules: ['Be brief.'] });
  });
});
