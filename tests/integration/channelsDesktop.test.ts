import { afterEach, describe, expect, it } from 'vitest';
import { signMetaPayload } from '../../relay/channels/meta/webhookSignature.js';
import { startTestRelay, type TestRelay } from '../../relay/testing/relayTestHarness.js';
import { createDesktop, ownerAccount, waitFor, type Desktop } from './relayTestSupport.js';

let relay: TestRelay | null = null;
const desktops: Desktop[] = [];
afterEach(async () => {
  await Promise.all(desktops.splice(0).map((desktop) => desktop.dispose()));
  await relay?.stop();
  relay = null;
});

describe('connecting WhatsApp from the desktop', () => {
  it('shows the callback URL and verify token, never returns a secret, and reports webhooks arriving', async () => {
    relay = await startTestRelay({ rateLimitScale: 0 });
    const desktop = await createDesktop('Bakery');
    desktops.push(desktop);
    await expect(desktop.caller.channels.status()).rejects.toThrow(/Connect this tenant to a relay first/);
    await desktop.caller.sync.register({ relayUrl: relay.url, ...ownerAccount });

    const view = await desktop.caller.channels.configureWhatsapp({
      phoneNumberId: '106540352242922',
      businessAccountId: '102290129340398',
      accessToken: 'EAAG-desktop-token',
      appSecret: 'desktop-app-secret',
      templates: [],
    });
    expect(view.callbackUrl).toMatch(new RegExp(`^${relay.url}/webhooks/whatsapp/[0-9a-f]{32}$`));
    expect(view.verifyToken).toMatch(/^ares-/);
    expect(JSON.stringify(view)).not.toMatch(/EAAG-desktop-token|desktop-app-secret/);
    expect(view.secretsStored).toEqual({ accessToken: true, appSecret: true });
    // Secrets at rest on the relay are sealed: the database never holds them in the clear.
    const stored = await relay.services.channels!.store.connections((await relay.services.storage.operatorByEmail(ownerAccount.email))!.tenantId);
    expect(stored[0]!.sealedSecrets).not.toMatch(/EAAG-desktop-token|desktop-app-secret/);

    // Updating without secrets keeps the stored ones (write-only fields).
    expect((await desktop.caller.channels.configureWhatsapp({ phoneNumberId: '106540352242922', businessAccountId: '102290129340398', templates: [] })).secretsStored.appSecret).toBe(true);

    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [{ field: 'messages', value: { metadata: { phone_number_id: '106540352242922' }, messages: [{ id: 'wamid.desktop-1', from: '4915112345678', timestamp: String(Math.floor(Date.now() / 1000)), type: 'image', image: { id: '65463453', mime_type: 'image/jpeg', caption: 'my broken cake' } }] } }] }],
    });
    const response = await fetch(new URL(view.callbackUrl), { method: 'POST', headers: { 'X-Hub-Signature-256': signMetaPayload(body, 'desktop-app-secret') }, body });
    expect(response.status).toBe(200);
    const status = await desktop.caller.channels.status();
    expect(status.connections[0]!.webhooks).toMatchObject({ receivedCount: 1, rejectedCount: 0 });
    expect(status.connections[0]!.webhooks.lastReceivedAt).not.toBeNull();
    const [conversation] = await waitFor(async () => {
      const list = await desktop.caller.inbox.conversations();
      return list.length === 1 ? list : null;
    }, 'the WhatsApp conversation in the inbox');
    expect(conversation!.lastMessagePreview).toBe('[Image] my broken cake');
  });

  it('lets only owners and admins connect a channel', async () => {
    relay = await startTestRelay({ rateLimitScale: 0 });
    const owner = await createDesktop('Bakery');
    desktops.push(owner);
    await owner.caller.sync.register({ relayUrl: relay.url, ...ownerAccount });
    const invitation = await relay.client(owner.sync().store.connection()!.deviceToken).account.invite.mutate({ email: 'ann@bakery.test', role: 'agent' });
    await relay.client().account.acceptInvitation.mutate({ inviteCode: invitation.inviteCode, name: 'Ann Agent', password: 'another long password', deviceName: 'setup' });
    const agent = await createDesktop('Ann');
    desktops.push(agent);
    await agent.caller.sync.connect({ relayUrl: relay.url, email: 'ann@bakery.test', password: 'another long password' });
    await expect(agent.caller.channels.configureMessenger({ pageId: '682498302938465', pageAccessToken: 'EAAG-page-token', appSecret: 'page-app-secret' })).rejects.toThrow(/owners and admins/);
    expect((await agent.caller.channels.status()).connections).toEqual([]);
  });
});
