import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRelayLogger } from '../relayLogger.js';
import { createRelayServices, type RelayServices } from '../relayServices.js';
import type { RelayStorage } from '../storage/relayStorage.js';
import { createRelaySuiteStorage } from '../testing/testStorage.js';
import { openPrivacyStore } from './startPrivacy.js';
import { hashSecret } from '../accounts/secretTokens.js';
import type { RelayPrivacyStore } from './privacyStore.js';
import { RelayPrivacy } from './relayPrivacy.js';

const day = 24 * 3600 * 1000;
const start = Date.UTC(2025, 0, 1);

describe('privacy rights on the relay (fake clock)', () => {
  let directory: string;
  let storage: RelayStorage;
  let store: RelayPrivacyStore;
  let services: RelayServices;
  let privacy: RelayPrivacy;
  let clock = start;

  beforeEach(async () => {
    clock = start;
    directory = await mkdtemp(join(tmpdir(), 'ares-relay-privacy-'));
    storage = await createRelaySuiteStorage(directory);
    services = createRelayServices({ storage, logger: createRelayLogger('silent'), scryptParameters: { N: 2 ** 10, r: 8, p: 1 }, now: () => clock });
    store = await openPrivacyStore(storage, directory);
    privacy = new RelayPrivacy({ services, store });
    services.accounts.closedAccountLookup = async (token) => (await store.closedDevice(hashSecret(token))) !== null;
  });
  afterEach(async () => {
    await store.close();
    await storage.close();
    await rm(directory, { recursive: true, force: true });
  });

  async function tenantWithOwner() {
    const owner = await services.accounts.registerTenant({ businessName: 'Bakery', ownerName: 'Olive', email: 'olive@bakery.test', password: 'a long enough password', deviceName: 'laptop' }, '127.0.0.1');
    const ownerDevice = await services.accounts.authenticate(owner.deviceToken);
    return { owner, ownerDevice, actor: { tenantId: owner.tenantId, operatorId: owner.operatorId, role: owner.role } };
  }

  async function message(tenantId: string, conversationId: string, text: string) {
    const result = await services.log.appendInbound(tenantId, { channel: 'web', externalId: crypto.randomUUID(), conversationId, customerLabel: `Label of ${conversationId}`, text, occurredAt: clock });
    return result.seq!;
  }

  it('deletes conversations older than the rule and the content every device collected, and nothing else', async () => {
    const { owner, actor } = await tenantWithOwner();
    const oldSeq = await message(owner.tenantId, 'web-old', 'an old question');
    clock = start + 20 * day;
    const recentFirst = await message(owner.tenantId, 'web-recent', 'a recent question');
    clock = start + 30 * day;
    const recentSecond = await message(owner.tenantId, 'web-recent', 'a follow-up');
    // The owner's device collected everything up to the first recent message.
    await storage.recordCollected(owner.tenantId, owner.deviceId, recentFirst);

    clock = start + 35 * day;
    const status = await privacy.setRetention(actor, { conversationDays: 30, collectedEventDays: 7, attachmentDays: null });
    // The old conversation (35 days quiet) is gone; the recent one (5 days) stays.
    expect((await storage.conversations(owner.tenantId)).map((state) => state.conversationId)).toEqual(['web-recent']);
    // Collected and older than 7 days: through the first recent message; the follow-up (5 days) stays.
    const head = await storage.head(owner.tenantId);
    expect(head.prunedThroughSeq).toBe(recentFirst);
    expect(status.lastRun).toMatchObject({ conversations: 1, prunedThroughSeq: recentFirst });
    const log = await storage.readLog(owner.tenantId, 0, 100);
    expect(log.map((event) => event.seq)).toEqual([recentSecond]);
    expect(log[0]!.body).toMatchObject({ type: 'customer.message', text: 'a follow-up' });
    expect(oldSeq).toBeLessThan(recentFirst);
    const pulled = await services.log.pull(owner.tenantId, { epoch: head.epoch, seq: 0 }, 100);
    // A desktop starting from scratch is told to resync from where the relay still keeps events.
    expect(pulled).toMatchObject({ kind: 'resync', reason: 'pruned', restartFrom: { seq: recentFirst } });
    expect((await privacy.audit(owner.tenantId))[0]).toMatchObject({ action: 'retention.applied', detail: { conversations: 1 } });
  });

  it('deletes the attachment details of media messages older than the attachment rule, and nothing else', async () => {
    const { owner, actor } = await tenantWithOwner();
    const media = (externalId: string, caption: string) => ({
      channel: 'whatsapp',
      externalId,
      events: [
        {
          eventId: crypto.randomUUID(),
          conversationId: 'whatsapp:15550100',
          occurredAt: clock,
          body: {
            type: 'customer.message' as const,
            messageId: `whatsapp:${externalId}`,
            channel: 'whatsapp' as const,
            customerLabel: 'Carla',
            text: `[Image] passport.jpg ${caption}`,
            content: { kind: 'image' as const, mediaId: `media-${externalId}`, mimeType: 'image/jpeg', fileName: 'passport.jpg', caption },
          },
        },
      ],
    });
    await services.log.appendClaimed(owner.tenantId, [media('wamid-old', 'my passport scan')]);
    await message(owner.tenantId, 'web-a', 'an old text message');
    clock = start + 20 * day;
    await services.log.appendClaimed(owner.tenantId, [media('wamid-new', 'my new id card')]);
    clock = start + 25 * day;
    const status = await privacy.setRetention(actor, { conversationDays: null, collectedEventDays: null, attachmentDays: 10 });
    expect(status.lastRun).toMatchObject({ attachments: 1 });

    const log = await storage.readLog(owner.tenantId, 0, 100);
    const old = JSON.stringify(log[0]);
    for (const detail of ['passport', 'media-wamid-old', 'image/jpeg']) expect(old).not.toContain(detail);
    expect(log[0]!.body).toMatchObject({ type: 'customer.message', text: '[image] Attachment details deleted by the retention rule.', content: { kind: 'image' } });
    // Text messages and newer media are untouched; the seq stays.
    expect(log[1]!.body).toMatchObject({ text: 'an old text message' });
    expect(log[2]!.body).toMatchObject({ content: { mediaId: 'media-wamid-new', caption: 'my new id card' } });
    expect(log.map((event) => event.seq)).toEqual([1, 2, 3]);
    // Applying the rule again changes nothing more.
    await privacy.runDue();
    expect((await privacy.retentionStatus(owner.tenantId)).lastRun).toMatchObject({ attachments: 0 });
  });

  it('keeps event content until every signed-in device collected it, and applies the rules on schedule', async () => {
    const { owner, actor } = await tenantWithOwner();
    const second = await services.accounts.login({ email: 'olive@bakery.test', password: 'a long enough password', deviceName: 'phone' }, '127.0.0.1');
    const first = await message(owner.tenantId, 'web-a', 'first');
    const last = await message(owner.tenantId, 'web-a', 'second');
    await storage.recordCollected(owner.tenantId, owner.deviceId, last);
    await privacy.setRetention(actor, { conversationDays: null, collectedEventDays: 1, attachmentDays: null });
    clock = start + 2 * day;
    await privacy.runDue();
    // The phone has collected nothing: nothing goes.
    expect((await storage.head(owner.tenantId)).prunedThroughSeq).toBe(0);
    await storage.recordCollected(owner.tenantId, second.deviceId, first);
    await privacy.runDue();
    expect((await storage.head(owner.tenantId)).prunedThroughSeq).toBe(first);
    // A revoked device no longer holds anything back.
    await storage.revokeDevice(owner.tenantId, second.deviceId, clock);
    await privacy.runDue();
    expect((await storage.head(owner.tenantId)).prunedThroughSeq).toBe(last);
    // The conversation itself is not deleted by this rule.
    expect((await storage.conversations(owner.tenantId)).map((state) => state.conversationId)).toEqual(['web-a']);
  });

  it('closes an account after the grace period, tells its desktops, and can be cancelled until then', async () => {
    const { owner, actor } = await tenantWithOwner();
    const invitation = await services.accounts.invite(await services.accounts.authenticate(owner.deviceToken), { email: 'ann@bakery.test', role: 'admin' });
    const admin = await services.accounts.acceptInvitation({ inviteCode: invitation.inviteCode, name: 'Ann', password: 'another long password', deviceName: 'ann' }, '127.0.0.1');
    await message(owner.tenantId, 'web-a', 'hello');
    await expect(privacy.closeAccount({ tenantId: owner.tenantId, operatorId: admin.operatorId, role: 'admin' }, 10)).rejects.toThrow(/Only the owner/);

    const closing = await privacy.closeAccount(actor, 10);
    expect(closing).toEqual({ state: 'closing', requestedAt: start, deleteAt: start + 10 * day });
    const log = await storage.readLog(owner.tenantId, 0, 100);
    expect(log.at(-1)!.body).toEqual({ type: 'account.closing', deleteAt: start + 10 * day });
    // The notice is not a conversation.
    expect((await storage.conversations(owner.tenantId)).map((state) => state.conversationId)).toEqual(['web-a']);

    clock = start + 5 * day;
    expect(await privacy.cancelClosure(actor)).toMatchObject({ state: 'open' });
    expect((await storage.readLog(owner.tenantId, 0, 100)).at(-1)!.body).toEqual({ type: 'account.closure_cancelled' });
    await privacy.closeAccount(actor, 3);
    clock = start + 8 * day - 1;
    await privacy.runDue();
    expect(await storage.tenant(owner.tenantId)).not.toBeNull();

    clock = start + 8 * day;
    await privacy.runDue();
    expect(await storage.tenant(owner.tenantId)).toBeNull();
    await expect(storage.head(owner.tenantId)).rejects.toThrow();
    expect(await storage.devices(owner.tenantId)).toEqual([]);
    await expect(services.accounts.authenticate(owner.deviceToken)).rejects.toMatchObject({ code: 'RELAY_ACCOUNT_CLOSED' });
    await expect(services.accounts.authenticate(admin.deviceToken)).rejects.toMatchObject({ code: 'RELAY_ACCOUNT_CLOSED' });
    // The email is free again; the audit keeps counts only.
    expect(await storage.operatorByEmail('olive@bakery.test')).toBeNull();
    expect((await privacy.audit(owner.tenantId)).map((entry) => entry.action)).toEqual(['account.closed', 'account.closing', 'account.closure_cancelled', 'account.closing']);
  });

  it("refuses an agent's erasure or correction with a visible rejection, and applies an owner's", async () => {
    const { owner, ownerDevice } = await tenantWithOwner();
    const invitation = await services.accounts.invite(ownerDevice, { email: 'ann@bakery.test', role: 'agent' });
    const agent = await services.accounts.acceptInvitation({ inviteCode: invitation.inviteCode, name: 'Ann', password: 'another long password', deviceName: 'ann' }, '127.0.0.1');
    await message(owner.tenantId, 'web-a', 'my name is Olivia, not Olive');
    const erasureId = crypto.randomUUID();
    const erasure = { eventId: crypto.randomUUID(), conversationId: `erasure:${erasureId}`, occurredAt: clock, body: { type: 'customer.erased' as const, erasureId, conversationKeys: ['0'.repeat(32)], requestedAt: clock } };
    const correction = { eventId: crypto.randomUUID(), conversationId: 'web-a', occurredAt: clock, body: { type: 'customer.corrected' as const, customerLabel: 'Olivia', requestedAt: clock } };
    const asAgent = { deviceId: agent.deviceId, operatorName: 'Ann', role: 'agent' };
    const refused = await services.log.push(owner.tenantId, asAgent, { clientId: 'agent-desktop', mutations: [{ mutationId: 1, event: erasure }, { mutationId: 2, event: correction }] });
    expect(refused.results.map((result) => [result.status, result.status === 'rejected' ? result.reason : null])).toEqual([
      ['rejected', "Only owners and admins can erase a customer's data."],
      ['rejected', "Only owners and admins can correct a customer's details."],
    ]);
    expect((await storage.conversations(owner.tenantId)).find((state) => state.conversationId === 'web-a')!.customerLabel).toBe('Label of web-a');

    const asOwner = { deviceId: owner.deviceId, operatorName: 'Olive', role: 'owner' };
    const applied = await services.log.push(owner.tenantId, asOwner, { clientId: 'owner-desktop', mutations: [{ mutationId: 1, event: { ...correction, eventId: crypto.randomUUID() } }] });
    expect(applied.results[0]!.status).toBe('applied');
    // A later message from the channel (with the platform's label) does not bring the old name back.
    await message(owner.tenantId, 'web-a', 'thanks');
    expect((await storage.conversations(owner.tenantId)).find((state) => state.conversationId === 'web-a')!.customerLabel).toBe('Olivia');
    // A correction of a conversation the relay does not hold is refused, not turned into an empty conversation.
    const unknown = await services.log.push(owner.tenantId, asOwner, { clientId: 'owner-desktop', mutations: [{ mutationId: 2, event: { ...correction, eventId: crypto.randomUUID(), conversationId: 'web-gone' } }] });
    expect(unknown.results[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/not on the relay/) });
  });

  it('closes an account at once when the owner asks for no grace period', async () => {
    const { owner, actor } = await tenantWithOwner();
    await message(owner.tenantId, 'web-a', 'hello');
    expect(await privacy.closeAccount(actor, 0)).toMatchObject({ state: 'closed' });
    expect(await storage.tenant(owner.tenantId)).toBeNull();
    await expect(services.accounts.authenticate(owner.deviceToken)).rejects.toMatchObject({ code: 'RELAY_ACCOUNT_CLOSED' });
  });
});
