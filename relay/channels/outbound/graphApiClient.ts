import type { MetaChannel } from '../../../shared/schemas/channels.js';

/** A Graph API answer that is not a success: `retryable` decides between backoff and giving up. */
export class GraphApiError extends Error {
  constructor(
    message: string,
    readonly code: number | null,
    readonly httpStatus: number | null,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'GraphApiError';
  }
}

/**
 * Codes Meta documents as throttling or transient: 4/17/32/613 (app, user, page, API rate limits),
 * 80007 (WhatsApp account rate limit), 130429 (throughput), 131056 (pair rate limit),
 * 131000/131016 (something went wrong / service unavailable), 1/2 (unknown / temporary).
 */
const retryableCodes = new Set([1, 2, 4, 17, 32, 613, 80007, 130429, 131000, 131016, 131056]);

export interface GraphSendRequest {
  channel: MetaChannel;
  /** Phone number id (WhatsApp) or page id (Messenger). */
  accountId: string;
  accessToken: string;
  body: Record<string, unknown>;
}

/** Sends to `{base}/{version}/{phone number id}/messages` or `{base}/{version}/{page id}/messages`; the base URL is configurable (the simulator in tests). */
export class GraphApiClient {
  constructor(private readonly options: { baseUrl: string; version: string; timeoutMilliseconds?: number }) {}

  async send(request: GraphSendRequest): Promise<{ platformMessageId: string }> {
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}/${this.options.version}/${encodeURIComponent(request.accountId)}/messages`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${request.accessToken}` },
        body: JSON.stringify(request.body),
        signal: AbortSignal.timeout(this.options.timeoutMilliseconds ?? 15_000),
      });
    } catch (error) {
      throw new GraphApiError(`The Graph API could not be reached (${error instanceof Error ? error.message : String(error)}).`, null, null, true);
    }
    const answer = (await response.json().catch(() => ({}))) as {
      messages?: { id?: string }[];
      message_id?: string;
      error?: { message?: string; code?: number; error_subcode?: number; error_data?: { details?: string } };
    };
    if (response.ok) {
      const platformMessageId = answer.messages?.[0]?.id ?? answer.message_id;
      if (platformMessageId) return { platformMessageId };
      throw new GraphApiError('The Graph API answered without a message id.', null, response.status, true);
    }
    const code = answer.error?.code ?? null;
    const details = answer.error?.error_data?.details;
    const message = `${answer.error?.message ?? `HTTP ${response.status}`}${details ? ` (${details})` : ''}${code !== null ? ` [code ${code}]` : ''}`;
    const retryable = response.status === 429 || response.status >= 500 || (code !== null && retryableCodes.has(code));
    throw new GraphApiError(message.slice(0, 480), code, response.status, retryable);
  }
}
