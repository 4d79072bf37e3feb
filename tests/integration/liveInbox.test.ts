import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startTestRelay, type TestRelay } from '../../relay/testing/relayTestHarness.js';
import { createDesktop, ownerAccount, startVisitor, waitFor, type Desktop } from './relayTestSupport.js';
import { faqMarkdown, importText } from '../../electron/agent/testing/agentTenant.js';
import { knowledgeRetriever } from '../../electron/agent/knowledgeRetriever.js';
import { useTestModels } from '../../electron/knowledge/testing/testModels.js';
import type { LoggedEvent } from '../../shared/schemas/sync.js';
import { agentRunnerFor } from '../../electron/agentRunner/index.js';

/**
 * The agent on live conversations, end to end in-process: a real relay on a socket, two real
 * desktop cores (encrypted tenants), the owner's with a small FAQ and the agent runner, Ann's
 * without. Visitors write through the web widget's HTTP API.
 */
let relay: TestRelay;
let owner: Desktop;
let ann: Desktop;
let ownerToken: string;
let widgetKey: string;
/** Milliseconds the owner's retriever waits before searching: lets a test take over mid-answer. */
let retrievalDelay = 0;

async function relayLog(conversationId: string): Promise<LoggedEvent[]> {
  const client = relay.client(ownerToken);
  const head = await client.sync.head.query();
  const page = await client.sync.pull.query({ cursor: { epoch: head.epoch, seq: 0 }, limit: 5000 });
  if (page.kind !== 'events') throw new Error('resync');
  return page.events.filter((event) => event.conversationId === conversationId);
}

const business = async (visitor: Awaited<ReturnType<typeof startVisitor>>) => (await visitor.messages()).filter((message) => message.from !== 'visitor').map((message) => message.text);

beforeAll(async () => {
  useTestModels();
  relay = await startTestRelay();
  owner = await createDesktop('Acme Bags');
  await importText(owner.caller, 'faq.md', faqMarkdown);
  await owner.caller.sync.register({ relayUrl: relay.url, ...ownerAccount });
  ownerToken = owner.sync().store.connection()!.deviceToken;
  widgetKey = owner.sync().store.connection()!.widgetKey;
  const session = owner.core.requireSession();
  const retriever = knowledgeRetriever(session, owner.core.vault.dataDirectory);
  agentRunnerFor(session, owner.core.vault.dataDirectory, {
    leaseSeconds: 10,
    retriever: {
      async search(query, limit) {
        if (retrievalDelay > 0) await new Promise((resolve) => setTimeout(resolve, retrievalDelay));
        return retriever.search(query, limit);
      },
    },
  });
  const invitation = await relay.client(ownerToken).account.invite.mutate({ email: 'ann@bakery.test', role: 'agent' });
  await relay.client().account.acceptInvitation.mutate({ inviteCode: invitation.inviteCode, name: 'Ann Agent', password: 'another long password', deviceName: 'setup' });
  ann = await createDesktop('Acme Bags on Ann laptop');
  await ann.caller.sync.connect({ relayUrl: relay.url, email: 'ann@bakery.test', password: 'another long password' });
  await waitFor(async () => (await owner.caller.liveInbox.agentRunner())?.holdsLease, 'the owner desktop holding the agent lease');
}, 60_000);

afterAll(async () => {
  await Promise.all([owner?.dispose(), ann?.dispose()]);
  await relay?.stop();
});

describe('the agent runner on live conversations', () => {
  it('answers from the knowledge base, hands off on request, stays silent with staff, and speaks again after hand-back', async () => {
    const visitor = await startVisitor(relay.url, widgetKey);
    await visitor.send('How long does delivery take?');
    await waitFor(async () => (await business(visitor)).some((text) => text.includes('two business days')), 'the AI answer at the visitor');

    // Every desktop sees what the AI used, not only the one that ran it.
    const annMessages = await waitFor(async () => {
      const page = await ann.caller.liveInbox.messages({ conversationId: visitor.conversationId });
      return page.messages.find((message) => message.kind === 'ai') ? page.messages : null;
    }, 'the AI reply on Ann desktop');
    const aiReply = annMessages.find((message) => message.kind === 'ai')!;
    expect(aiReply.used).toMatchObject({ answeredBy: 'extractive', model: null });
    expect(aiReply.used!.confidence).toBeGreaterThan(0.5);
    expect(aiReply.used!.passages.find((passage) => passage.cited)).toMatchObject({ sourceName: 'faq.md', location: 'Shipping › How long does delivery take?' });

    await visitor.send('Can I talk to a human please?');
    await waitFor(async () => (await business(visitor)).some((text) => text.includes('member of our team')), 'the hand-off message at the visitor');
    const flagged = await waitFor(async () => {
      const page = await ann.caller.liveInbox.page({ filter: 'needs_human' });
      return page.rows.find((row) => row.conversationId === visitor.conversationId);
    }, 'the conversation flagged on Ann desktop');
    expect(flagged.status).toBe('needs_human');
    const note = (await ann.caller.liveInbox.messages({ conversationId: visitor.conversationId })).messages.find((message) => message.kind === 'note');
    expect(note?.text).toContain('The customer asked for a person');

    await ann.caller.liveInbox.takeOver({ conversationId: visitor.conversationId });
    await ann.caller.liveInbox.reply({ conversationId: visitor.conversationId, text: 'Hi, Ann here. How can I help?' });
    await waitFor(async () => (await visitor.messages()).some((message) => message.text === 'Hi, Ann here. How can I help?'), 'the staff reply at the visitor');
    await waitFor(async () => (await owner.caller.liveInbox.conversation({ conversationId: visitor.conversationId })).holder === 'Ann Agent', 'the owner seeing Ann holding it');

    // With a person holding it, the AI answers nothing, even a question it knows.
    const before = (await business(visitor)).length;
    await visitor.send('What is your return policy?');
    await waitFor(async () => (await owner.caller.liveInbox.messages({ conversationId: visitor.conversationId })).messages.some((message) => message.text === 'What is your return policy?'), 'the question on the owner desktop');
    await owner.sync().engine!.idle();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await business(visitor)).length).toBe(before);

    await ann.caller.liveInbox.handBack({ conversationId: visitor.conversationId });
    await waitFor(async () => (await business(visitor)).some((text) => text.includes('automated assistant again')), 'the hand-back notice at the visitor');
    await visitor.send('What are your opening hours?');
    await waitFor(async () => (await business(visitor)).some((text) => text.includes('Monday to Saturday')), 'the AI answering again');
  }, 60_000);

  it('decides a take-over race between two desktops: one wins, the other is told who has it, and the AI sends nothing after', async () => {
    const visitor = await startVisitor(relay.url, widgetKey);
    retrievalDelay = 1500;
    try {
      await visitor.send('Do you ship internationally?');
      for (const desktop of [owner, ann]) await waitFor(async () => (await desktop.caller.liveInbox.page({})).rows.some((row) => row.conversationId === visitor.conversationId), 'the conversation');
      await waitFor(async () => (await owner.caller.liveInbox.agentRunner())?.answering === visitor.conversationId, 'the AI writing an answer');
      const outcomes = await Promise.allSettled([
        owner.caller.liveInbox.takeOver({ conversationId: visitor.conversationId }),
        ann.caller.liveInbox.takeOver({ conversationId: visitor.conversationId }),
      ]);
      expect(outcomes.every((outcome) => outcome.status === 'fulfilled')).toBe(true);
      const log = await waitFor(async () => {
        const events = await relayLog(visitor.conversationId);
        return events.filter((event) => event.body.type === 'conversation.takeover' || event.body.type === 'conversation.rejected').length >= 2 ? events : null;
      }, 'both take-overs at the relay');
      const takeOvers = log.filter((event) => event.body.type === 'conversation.takeover');
      const rejections = log.filter((event) => event.body.type === 'conversation.rejected');
      expect(takeOvers).toHaveLength(1);
      expect(rejections).toHaveLength(1);
      const winner = (takeOvers[0]!.body as { staffName: string }).staffName;
      expect((rejections[0]!.body as { reason: string }).reason).toContain(`${winner} has already taken over`);
      const loser = winner === 'Ann Agent' ? owner : ann;
      await waitFor(async () => (await loser.caller.liveInbox.messages({ conversationId: visitor.conversationId })).messages.some((message) => message.text.includes(`${winner} has already taken over`)), 'the loser told who has it');

      // Give the AI's interrupted answer every chance to arrive: nothing from the AI after the take-over.
      await new Promise((resolve) => setTimeout(resolve, retrievalDelay + 500));
      await owner.caller.sync.syncNow();
      const after = (await relayLog(visitor.conversationId)).filter((event) => event.seq > takeOvers[0]!.seq);
      expect(after.filter((event) => event.body.type === 'ai.message' || event.body.type === 'conversation.handoff')).toEqual([]);
      expect((await owner.caller.liveInbox.agentRunner())!.stoppedByTakeOver).toBeGreaterThan(0);
    } finally {
      retrievalDelay = 0;
    }
  }, 60_000);

  it('has the relay refuse an AI reply for a conversation a person holds, visibly', async () => {
    const visitor = await startVisitor(relay.url, widgetKey);
    await visitor.send('Hello there, I need help');
    await waitFor(async () => (await ann.caller.liveInbox.page({})).rows.some((row) => row.conversationId === visitor.conversationId), 'the conversation');
    await ann.caller.liveInbox.takeOver({ conversationId: visitor.conversationId });
    await waitFor(async () => (await relayLog(visitor.conversationId)).some((event) => event.body.type === 'conversation.takeover'), 'the take-over');
    // A stale agent runner pushing anyway (it had not pulled the take-over yet).
    const eventId = randomUUID();
    const result = await relay.client(ownerToken).sync.push.mutate({
      clientId: randomUUID(),
      mutations: [{ mutationId: 1, event: { eventId, conversationId: visitor.conversationId, occurredAt: Date.now(), body: { type: 'ai.message', messageId: `ai:${eventId}`, text: 'A late answer' } } }],
    });
    expect(result.results[0]).toMatchObject({ status: 'rejected', reason: expect.stringContaining('Ann Agent has taken over') });
    expect((await visitor.messages()).map((message) => message.text)).not.toContain('A late answer');
  });
});

describe('inbox actions', () => {
  it('resolves, reopens, assigns to a colleague and keeps private notes away from the customer', async () => {
    const visitor = await startVisitor(relay.url, widgetKey);
    await visitor.send('Where is my parcel 4711?');
    await waitFor(async () => (await ann.caller.liveInbox.page({})).rows.some((row) => row.conversationId === visitor.conversationId), 'the conversation');
    const id = { conversationId: visitor.conversationId };
    await ann.caller.liveInbox.takeOver(id);
    await ann.caller.liveInbox.note({ ...id, text: 'Checked the courier: parcel is in Lyon.' });
    await expect(ann.caller.liveInbox.assign({ ...id, assigneeName: 'Olive Ownr' })).rejects.toThrow('Nobody called "Olive Ownr" is on your team. Choose one of: Ann Agent, Olive Owner.');
    await ann.caller.liveInbox.assign({ ...id, assigneeName: 'Olive Owner' });
    await waitFor(async () => (await owner.caller.liveInbox.page({ filter: 'mine' })).rows.some((row) => row.conversationId === visitor.conversationId), "the conversation under the owner's Mine");
    await expect(ann.caller.liveInbox.handBack(id)).rejects.toThrow(/Olive Owner holds this conversation/);
    await owner.caller.liveInbox.resolve(id);
    await waitFor(async () => (await ann.caller.liveInbox.page({ filter: 'resolved' })).rows.some((row) => row.conversationId === visitor.conversationId), 'resolved on Ann desktop');
    await ann.caller.liveInbox.reopen(id);
    expect((await ann.caller.liveInbox.conversation(id)).status).toBe('needs_human');
    await owner.sync().engine!.idle();
    await ann.caller.sync.syncNow();
    const messages = (await ann.caller.liveInbox.messages(id)).messages;
    expect(messages.find((message) => message.kind === 'note' && message.authorName === 'Ann Agent')).toMatchObject({ authorName: 'Ann Agent', text: 'Checked the courier: parcel is in Lyon.' });
    expect(messages.map((message) => message.text)).toEqual(expect.arrayContaining(['Ann Agent assigned the conversation to Olive Owner.', 'Olive Owner marked the conversation resolved.', 'Ann Agent reopened the conversation.']));
    expect((await visitor.messages()).map((message) => message.text).join(' ')).not.toContain('courier');
  }, 30_000);

  it('searches names and message text locally, counts unread, and keeps drafts and saved replies', async () => {
    const visitor = await startVisitor(relay.url, widgetKey);
    await visitor.send('Is the Joust Duffle Bag waterproof?');
    await waitFor(async () => (await ann.caller.liveInbox.page({ search: 'waterproof' })).rows.length === 1, 'a match for a word of the message');
    expect((await ann.caller.liveInbox.page({ search: 'duff' })).rows.map((row) => row.conversationId)).toEqual([visitor.conversationId]);
    expect((await ann.caller.liveInbox.page({ search: 'surfboard' })).total).toBe(0);
    expect((await ann.caller.liveInbox.page({ search: 'Web visitor', limit: 500 })).total).toBeGreaterThanOrEqual(1);
    expect((await ann.caller.liveInbox.page({ channel: 'whatsapp' })).total).toBe(0);

    const row = (await ann.caller.liveInbox.page({ search: 'waterproof' })).rows[0]!;
    expect(row.unread).toBe(1);
    await ann.caller.liveInbox.markRead({ conversationId: visitor.conversationId });
    expect((await ann.caller.liveInbox.page({ search: 'waterproof' })).rows[0]!.unread).toBe(0);

    await ann.caller.liveInbox.saveDraft({ conversationId: visitor.conversationId, text: 'Let me check with' });
    expect((await ann.caller.liveInbox.conversation({ conversationId: visitor.conversationId })).draft).toBe('Let me check with');
    await ann.caller.liveInbox.saveSavedReply({ shortcut: 'hours', text: 'We are open Monday to Saturday, 9:00 to 19:00.' });
    await ann.caller.liveInbox.saveSavedReply({ shortcut: 'Hours', text: 'Open Monday to Saturday.' });
    expect(await ann.caller.liveInbox.savedReplies()).toEqual([expect.objectContaining({ shortcut: 'Hours', text: 'Open Monday to Saturday.' })]);
    await expect(ann.caller.liveInbox.saveSavedReply({ shortcut: 'two words', text: 'x' })).rejects.toThrow(/one word/);
    await ann.caller.liveInbox.reply({ conversationId: visitor.conversationId, text: 'It is water-resistant.' });
    expect((await ann.caller.liveInbox.conversation({ conversationId: visitor.conversationId })).draft).toBe('');
  }, 30_000);

  it('counts hand-offs by reason and lists questions the AI could not answer on the dashboard', async () => {
    const answered = await startVisitor(relay.url, widgetKey);
    await answered.send('What is your return policy?');
    await waitFor(async () => (await business(answered)).some((text) => text.includes('30 days')), 'an answer by the AI alone');
    const visitor = await startVisitor(relay.url, widgetKey);
    await visitor.send('Do you repair surfboards on Sundays?');
    const statistics = await waitFor(async () => {
      const result = await ann.caller.liveInbox.dashboard({ days: 7 });
      return result.unansweredQuestions.some((question) => question.question.includes('surfboards')) ? result : null;
    }, 'the unanswered question on the dashboard');
    expect(statistics.handOffs.map((row) => row.reason)).toEqual(expect.arrayContaining(['low_confidence', 'customer_request']));
    expect(statistics.conversations).toBeGreaterThanOrEqual(4);
    expect(statistics.firstResponseMedianSeconds).not.toBeNull();
    expect(statistics.aiResolvedShare).toBeGreaterThan(0);
  }, 30_000);
});
