import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AresError } from '../../shared/errors.js';
import { defaultAgentSettings, type AgentSettings } from '../../shared/schemas/agent.js';
import { answerConversation } from './answerConversation.js';
import { startChatCompletionServer, type ChatCompletionServer } from './testing/chatCompletionServer.js';
import { createAgentTenant, type AgentTenant } from './testing/agentTenant.js';

const otherTenantSecret = 'The staff door code of Zebra Gadgets is 4711-KIWI.';

describe('the agent with an OpenAI-compatible model', () => {
  let tenant: AgentTenant;
  let server: ChatCompletionServer;

  const withModel = (settings: AgentSettings, timeoutSeconds = 5): AgentSettings => ({
    ...settings,
    persona: 'You are Ada, the assistant of Acme Bags.',
    tone: 'cheerful',
    rules: ['Never promise a delivery date.', 'Always answer in two sentences or fewer.'],
    model: { provider: 'openai_compatible', baseUrl: server.baseUrl, modelName: 'acme-small', timeoutSeconds },
  });

  beforeAll(async () => {
    server = await startChatCompletionServer();
    // Another tenant on the same device, with a secret of its own, imported first.
    tenant = await createAgentTenant({ other: { name: 'Zebra Gadgets', faq: `# Staff\n\n## Door\n${otherTenantSecret}\n` } });
  });
  afterAll(async () => {
    await tenant.dispose();
    await server.close();
  });
  beforeEach(async () => {
    server.requests.length = 0;
    await tenant.updateSettings((settings) => withModel({ ...structuredClone(defaultAgentSettings), model: settings.model }), 'sk-test-key-123');
  });

  const ask = (question: string, options: { onToken?: (text: string) => void; signal?: AbortSignal } = {}) =>
    answerConversation(tenant.core.requireSession(), [{ role: 'customer', text: question }], { dataDirectory: tenant.dataDirectory, ...options });

  it('streams a grounded answer with citations, from a prompt holding the persona, rules and passages only', async () => {
    server.behaviour = { kind: 'stream', text: 'Standard delivery takes three to five days [1].', chunkSize: 5 };
    const tokens: string[] = [];
    const decision = await ask('How long does delivery take?', { onToken: (text) => tokens.push(text) });

    expect(tokens.length).toBeGreaterThan(3);
    expect(tokens.join('')).toBe('Standard delivery takes three to five days [1].');
    expect(decision).toMatchObject({ outcome: 'answer', answeredBy: 'model', model: 'acme-small', reply: 'Standard delivery takes three to five days.' });
    expect(decision.citedReply).toBe('Standard delivery takes three to five days [1].');
    expect(decision.passages[0]).toMatchObject({ number: 1, cited: true, sourceName: 'faq.md' });
    expect(decision.figureCheck).toEqual({ unsupportedFigures: [], action: 'accepted' });

    const request = server.requests[0]!;
    expect(request.authorization).toBe('Bearer sk-test-key-123');
    expect(request.body).toMatchObject({ model: 'acme-small', stream: true });
    const system = request.body.messages[0]!;
    expect(system.role).toBe('system');
    expect(system.content).toContain('You are Ada, the assistant of Acme Bags.');
    expect(system.content).toContain('Tone: cheerful.');
    expect(system.content).toContain('- Never promise a delivery date.');
    expect(system.content).toMatch(/\[1\] faq\.md › Shipping › How long does delivery take\?\n[\s\S]*three to five days/);
    expect(request.body.messages.at(-1)).toEqual({ role: 'user', content: 'How long does delivery take?' });
    const everything = JSON.stringify(request.body);
    expect(everything).not.toContain('4711-KIWI');
    expect(everything).not.toContain('Zebra');
  });

  it('gives catalog rows to the model as labelled fields', async () => {
    server.behaviour = { kind: 'stream', text: 'The Joust Duffle Bag costs 34.00 USD and 100 are in stock [1].' };
    const decision = await ask('How much is the Joust Duffle Bag?');
    expect(server.requests[0]!.body.messages[0]!.content).toMatch(/\[1\] Catalog row \(catalog\.csv, row 1\)\nName: Joust Duffle Bag\nSKU: 24-MB01\nPrice: 34\.00 USD\nStock: 100/);
    expect(decision).toMatchObject({ outcome: 'answer', reply: 'The Joust Duffle Bag costs 34.00 USD and 100 are in stock.' });
    expect(decision.products[0]).toMatchObject({ sku: '24-MB01', passageNumber: 1 });
  });

  it('never passes on an invented price: the customer gets the catalog facts instead', async () => {
    server.behaviour = { kind: 'stream', text: 'Great choice! The Joust Duffle Bag is on sale for $19.99 today [1].' };
    const decision = await ask('How much is the Joust Duffle Bag?');
    expect(decision.outcome).toBe('answer');
    expect(decision.reply).not.toContain('19.99');
    expect(decision.reply).toContain('Joust Duffle Bag: SKU 24-MB01, price 34.00 USD, 100 in stock.');
    expect(decision.figureCheck).toEqual({ unsupportedFigures: ['$19.99'], action: 'replaced_with_catalog_facts' });
    expect(decision.citedReply).toContain('$19.99');
    expect(decision.staffNote).toContain('$19.99');
  });

  it('hands off when the model states a price and no catalog row was involved', async () => {
    server.behaviour = { kind: 'stream', text: 'Delivery costs 12 EUR and takes three to five days [1].' };
    const decision = await ask('How long does delivery take?');
    expect(decision).toMatchObject({ outcome: 'hand_off', handOffReason: 'unverified_facts' });
    expect(decision.figureCheck?.action).toBe('handed_off');
  });

  it('hands off with low_confidence when the model finds no answer in the passages', async () => {
    server.behaviour = { kind: 'stream', text: 'HANDOFF' };
    const decision = await ask('Do you ship internationally?');
    expect(decision).toMatchObject({ outcome: 'hand_off', handOffReason: 'low_confidence', model: 'acme-small' });
  });

  it('hands off with model_error on an HTTP error, a broken stream and a stalled server', async () => {
    server.behaviour = { kind: 'error', status: 500, message: 'model crashed' };
    const failed = await ask('How long does delivery take?');
    expect(failed).toMatchObject({ outcome: 'hand_off', handOffReason: 'model_error', model: 'acme-small' });
    expect(failed.staffNote).toContain('HTTP 500: model crashed');
    expect(failed.staffNote).not.toContain('sk-test-key-123');

    server.behaviour = { kind: 'broken' };
    expect((await ask('How long does delivery take?')).handOffReason).toBe('model_error');

    await tenant.updateSettings((settings) => withModel(settings, 1));
    server.behaviour = { kind: 'stall' };
    const started = Date.now();
    const stalled = await ask('How long does delivery take?');
    expect(stalled).toMatchObject({ outcome: 'hand_off', handOffReason: 'model_error' });
    expect(stalled.staffNote).toContain('did not finish within 1 s');
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('hands off with model_error when the server cannot be reached', async () => {
    await tenant.updateSettings((settings) => ({ ...withModel(settings), model: { ...withModel(settings).model, baseUrl: 'http://127.0.0.1:9/v1' } }));
    const decision = await ask('How long does delivery take?');
    expect(decision).toMatchObject({ outcome: 'hand_off', handOffReason: 'model_error' });
    expect(decision.staffNote).toContain('could not be reached');
  });

  it('stops at once when the answer is cancelled (staff took over) and records nothing', async () => {
    server.behaviour = { kind: 'stall' };
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const error = await ask('How long does delivery take?', { signal: controller.signal }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AresError);
    expect((error as AresError).code).toBe('CANCELLED');
  });

  it('accepts a server that ignores streaming and answers with one JSON body', async () => {
    server.behaviour = { kind: 'json', text: 'We ship to most countries in Europe [1].' };
    const decision = await ask('Do you ship internationally?');
    expect(decision).toMatchObject({ outcome: 'answer', reply: 'We ship to most countries in Europe.' });
  });

  it('does not call the model for a question the knowledge base does not cover', async () => {
    const decision = await ask('Do you repair surfboards on Sundays?');
    expect(decision.handOffReason).toBe('low_confidence');
    expect(server.requests).toHaveLength(0);
  });

  it('streams through the playground subscription and ends with the decision', async () => {
    server.behaviour = { kind: 'stream', text: 'We ship to most countries in Europe [1].', chunkSize: 4 };
    const { conversationId } = await tenant.caller.agent.playground.start();
    const iterable = await tenant.caller.agent.playground.stream({ conversationId, text: 'Do you ship internationally?' });
    const events: { type: string }[] = [];
    for await (const event of iterable as AsyncIterable<{ type: string }>) events.push(event);
    expect(events.filter((event) => event.type === 'token').length).toBeGreaterThan(3);
    expect(events.at(-1)).toMatchObject({ type: 'decision', decision: { outcome: 'answer', reply: 'We ship to most countries in Europe.' } });
    const conversation = await tenant.caller.agent.playground.conversation({ conversationId });
    expect(conversation.turns.at(-1)?.text).toBe('We ship to most countries in Europe.');
  });
});
