import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fixturesDirectory,
  fixturesPresent,
  messengerAccount,
  missingFixturesMessage,
  readFixture,
  startChannelRelay,
  whatsappAccount,
  type ChannelRelay,
} from '../testing/channelTestSupport.js';
import { parseMessengerWebhook } from './messenger/messengerWebhook.js';
import { signMetaPayload, verifyMetaSignature } from './meta/webhookSignature.js';
import { parseWhatsappWebhook } from './whatsapp/whatsappWebhook.js';

if (!fixturesPresent) console.warn(missingFixturesMessage);

interface Vector {
  id: string;
  app_secret: string;
  body_file?: string;
  body_utf8: string;
  x_hub_signature_256?: string;
  expected_valid: boolean | 'implementation-defined';
}

type Json = Record<string, unknown>;

/** Our own copy of a fixture: every message id made unique per fixture (the fixtures reuse ids), the number or page made ours. */
function personalised(payload: unknown, suffix: string, accountIds: Record<string, string>): Json {
  let text = JSON.stringify(payload);
  for (const [from, to] of Object.entries(accountIds)) text = text.split(from).join(to);
  const copy = JSON.parse(text) as Json;
  for (const entry of (copy.entry as Json[]) ?? []) {
    for (const change of (entry.changes as Json[]) ?? []) {
      for (const message of ((change.value as Json).messages as Json[]) ?? []) message.id = `${String(message.id)}#${suffix}`;
    }
    for (const event of (entry.messaging as Json[]) ?? []) {
      const message = event.message as Json | undefined;
      if (message?.mid) message.mid = `${String(message.mid)}#${suffix}`;
    }
  }
  return copy;
}

const fixtureVectorsWithWrongSignatures = new Set(['self-1-valid', 'self-6-unicode-escaped-body']);

describe.skipIf(!fixturesPresent)('X-Hub-Signature-256 vectors from the fixtures', () => {
  const vectors = fixturesPresent ? (readFixture('signature/x_hub_signature_256_vectors.json') as { external_vectors: Vector[]; self_made_vectors: Vector[] }) : null;
  const all = vectors ? [...vectors.external_vectors, ...vectors.self_made_vectors] : [];

  it.each(all.map((vector) => [vector.id, vector] as const))('%s', (_id, vector) => {
    const body = vector.body_file ? readFileSync(join(fixturesDirectory, 'signature', vector.body_file)) : Buffer.from(vector.body_utf8, 'utf8');
    // Upper-case hex is "implementation-defined": Meta sends lower case, and we accept only what Meta sends.
    // Two self-made vectors claim to be valid but their signature is not the HMAC of their body
    // (Python's hmac agrees: e.g. self-1's body gives 1eda779a…, the file says e405ef18…): a
    // verifier that accepted them would be broken, so they must be refused.
    const expected = vector.expected_valid === true && !fixtureVectorsWithWrongSignatures.has(vector.id);
    expect(verifyMetaSignature(body, vector.x_hub_signature_256, [vector.app_secret])).toBe(expected);
  });

  it('keeps the real Meta-signed body byte-exact: its bytes equal the body in the vector file', () => {
    const real = vectors!.external_vectors.find((vector) => vector.body_file)!;
    expect(readFileSync(join(fixturesDirectory, 'signature', real.body_file!)).toString('utf8')).toBe(real.body_utf8);
  });
});

describe.skipIf(!fixturesPresent)('WhatsApp and Messenger fixtures through the parsers', () => {
  const expectedKinds: Record<string, string> = {
    'pywa/message.json#text': 'message:text',
    'pywa/message.json#image': 'message:image',
    'pywa/message.json#video': 'message:video',
    'pywa/message.json#document': 'message:document',
    'pywa/message.json#audio': 'message:audio',
    'pywa/message.json#voice': 'message:voice',
    'pywa/message.json#static_sticker': 'message:sticker',
    'pywa/message.json#reaction': 'reaction',
    'pywa/message.json#unreaction_empty': 'reaction',
    'pywa/message.json#current_location': 'message:location',
    'pywa/message.json#chosen_location': 'message:location',
    'pywa/message.json#contacts': 'message:contacts',
    'pywa/message.json#order': 'message:order',
    'pywa/message.json#unsupported': 'message:unsupported',
    'pywa/message.json#reply': 'message:text',
    'pywa/callback_button.json#button': 'message:button_reply',
    'pywa/callback_button.json#quick_reply': 'message:quick_reply',
    'pywa/callback_selection.json#description': 'message:list_reply',
    'pywa/deleted_message.json#revoke': 'delete',
    'pywa/edited_message.json#image': 'edit',
    'pywa/flow_completion.json#completion': 'message:form_reply',
    'pywa/system.json#phone_number_change': 'message:system',
    'pywa/message_status.json#sent': 'status:sent',
    'pywa/message_status.json#delivered': 'status:delivered',
    'pywa/message_status.json#read': 'status:read',
    'pywa/message_status.json#played': 'status:read',
    'pywa/message_status.json#failed': 'status:failed',
    'pywa/template_status_update.json#approved': 'ignored',
    'pywa/user_marketing_preferences.json#resume': 'ignored',
    'pywa/outgoing_message.json#text': 'ignored',
  };

  it.each(Object.entries(expectedKinds))('%s is read as %s', (name, expected) => {
    const [file, key] = name.split('#') as [string, string];
    const parsed = parseWhatsappWebhook((readFixture(`whatsapp/${file}`) as Json)[key], 0);
    const [first] = parsed.items.map(({ item }) => (item.kind === 'message' ? `message:${item.content.kind}` : item.kind === 'status' ? `status:${item.status}` : item.kind));
    expect(first).toBe(expected);
    for (const { item } of parsed.items) if (item.kind === 'message' || item.kind === 'edit') expect(item.text.trim().length).toBeGreaterThan(0);
  });

  it('keeps a media placeholder with type, caption and the platform media id', () => {
    const item = parseWhatsappWebhook((readFixture('whatsapp/pywa/message.json') as Json).video, 0).items[0]!.item;
    expect(item).toMatchObject({ kind: 'message', text: '[Video] caption', content: { kind: 'video', mediaId: '765756756', caption: 'caption', mimeType: 'video/mp4' } });
  });

  it('reads the Messenger envelopes: text with quick reply, reply, reaction, delivery, read, and ignores echoes', () => {
    const kinds = ['text_message_with_quick_reply', 'reply_message', 'message_reaction', 'message_delivery', 'message_read', 'message_echo'].map((name) => {
      const parsed = parseMessengerWebhook(readFixture(`messenger/envelopes_synthesized/${name}.json`), 0);
      const item = parsed.items[0]!.item;
      return item.kind === 'message' ? `message:${item.content.kind}` : item.kind;
    });
    expect(kinds).toEqual(['message:quick_reply', 'message:text', 'reaction', 'status', 'readWatermark', 'ignored']);
  });
});

describe.skipIf(!fixturesPresent)('fixtures posted to a real relay', () => {
  let relay: ChannelRelay;
  beforeAll(async () => {
    relay = await startChannelRelay();
  });
  afterAll(async () => {
    await relay?.stop();
  });

  it('accepts the real Meta-signed body byte-exact with its app secret, and commits its message', async () => {
    const vectors = readFixture('signature/x_hub_signature_256_vectors.json') as { external_vectors: Vector[] };
    const real = vectors.external_vectors.find((vector) => vector.body_file)!;
    await relay.relay.client(relay.ownerToken).channels.configureWhatsapp.mutate({ phoneNumberId: '277321005464405', businessAccountId: '264937493375603', appSecret: real.app_secret, templates: [] });
    try {
      const bytes = readFileSync(join(fixturesDirectory, 'signature', real.body_file!));
      expect((await relay.post('whatsapp', bytes, { signature: real.x_hub_signature_256! })).status).toBe(200);
      const message = (await relay.log()).find((event) => event.body.type === 'customer.message' && event.body.text === 'Hey there! I am using PyWa.');
      expect(message).toMatchObject({ conversationId: 'whatsapp:277321005464405:972544401243', body: { customerLabel: 'PyWa Tests' } });
    } finally {
      await relay.relay.client(relay.ownerToken).channels.configureWhatsapp.mutate({ ...whatsappAccount, templates: [] });
    }
  });

  it('commits every WhatsApp message type of the fixtures exactly once, redeliveries included', async () => {
    const files = ['message.json', 'callback_button.json', 'callback_selection.json', 'deleted_message.json', 'edited_message.json', 'flow_completion.json', 'system.json'];
    let expectedMessages = 0;
    for (const file of files) {
      const fixtures = readFixture(`whatsapp/pywa/${file}`) as Record<string, Json>;
      for (const [key, payload] of Object.entries(fixtures)) {
        const accountIds = Object.fromEntries(
          ((payload.entry as Json[]) ?? []).flatMap((entry) => ((entry.changes as Json[]) ?? []).map((change) => [String(((change.value as Json).metadata as Json | undefined)?.phone_number_id), whatsappAccount.phoneNumberId])),
        );
        const body = JSON.stringify(personalised(payload, `${file}-${key}`, accountIds));
        for (let delivery = 0; delivery < 2; delivery += 1) expect((await relay.post('whatsapp', body)).status, `${file} ${key}`).toBe(200);
        expectedMessages += parseWhatsappWebhook(JSON.parse(body), 0).items.filter(({ item }) => item.kind !== 'ignored' && item.kind !== 'status').length;
      }
    }
    const logged = (await relay.log()).filter((event) => event.body.type.startsWith('customer.') && event.conversationId.startsWith(`whatsapp:${whatsappAccount.phoneNumberId}`));
    expect(logged).toHaveLength(expectedMessages);
    const contentKinds = new Set(logged.flatMap((event) => (event.body.type === 'customer.message' && event.body.content ? [event.body.content.kind] : [])));
    expect([...contentKinds].sort()).toEqual(
      ['audio', 'button_reply', 'contacts', 'document', 'form_reply', 'image', 'list_reply', 'location', 'order', 'quick_reply', 'sticker', 'system', 'text', 'unsupported', 'video', 'voice'].sort(),
    );
    expect(new Set(logged.map((event) => event.body.type))).toEqual(new Set(['customer.message', 'customer.reaction', 'customer.edit', 'customer.delete']));
  });

  it('commits the Messenger fixtures for the connected page, signed with its app secret', async () => {
    const names = ['text_message_with_quick_reply', 'reply_message', 'message_reaction'];
    for (const name of names) {
      const payload = personalised(readFixture(`messenger/envelopes_synthesized/${name}.json`), name, { '<PAGE_ID>': messengerAccount.pageId, '<PSID>': '24680135792468' });
      expect((await relay.post('messenger', JSON.stringify(payload))).status).toBe(200);
      expect((await relay.post('messenger', JSON.stringify(payload), { signature: signMetaPayload(JSON.stringify(payload), whatsappAccount.appSecret) })).status).toBe(401);
    }
    const logged = (await relay.log()).filter((event) => event.conversationId === `messenger:${messengerAccount.pageId}:24680135792468`);
    expect(logged.map((event) => event.body.type)).toEqual(['customer.message', 'customer.message', 'customer.reaction']);
  });
});
