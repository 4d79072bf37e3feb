import { randomBytes } from 'node:crypto';

/**
 * One serialisation per live page, however many desktops receive it. Subscribers of a tenant that
 * stand at the same position get the same page object (see RelayLog.live); tRPC's WebSocket
 * adapter still builds one message per subscriber, because the envelope carries that
 * subscription's own id, and stringifies it whole. The relay's encoder below stringifies only the
 * small envelope and splices in the page's JSON, made once and kept while the page object lives.
 * (The profile at 1,000 messages/s with 10 desktops showed 22 % of relay time in sending frames.)
 */
const sharedPages = new WeakSet<object>();
const pageJson = new WeakMap<object, string>();
// Random per process, so no client-chosen id can be mistaken for it; searched from the end, where the page sits.
const placeholder = `ares-live-page-${randomBytes(12).toString('hex')}`;

export function markShared<T extends object>(page: T): T {
  sharedPages.add(page);
  return page;
}

type SubscriptionMessage = { result?: { data?: { data?: unknown } } };

function jsonOf(page: object): string {
  let json = pageJson.get(page);
  if (json === undefined) {
    json = JSON.stringify(page);
    pageJson.set(page, json);
  }
  return json;
}

/** tRPC's `experimental_encoder` for the relay's WebSocket server: JSON text frames, as the default encoder. */
export const liveFrameEncoder = {
  encode(message: unknown): string {
    const page = (message as SubscriptionMessage | null)?.result?.data?.data;
    if (typeof page !== 'object' || page === null || !sharedPages.has(page)) return JSON.stringify(message);
    const envelope = message as { result: { data: object } };
    const outer = JSON.stringify({ ...envelope, result: { ...envelope.result, data: { ...envelope.result.data, data: placeholder } } });
    const at = outer.lastIndexOf(`"${placeholder}"`);
    return outer.slice(0, at) + jsonOf(page) + outer.slice(at + placeholder.length + 2);
  },
  decode(data: string | Uint8Array): unknown {
    if (typeof data !== 'string') throw new Error('The relay expects JSON text frames.');
    return JSON.parse(data);
  },
};
