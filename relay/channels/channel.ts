import type { LoggedEvent } from '../../shared/schemas/sync.js';

/**
 * A customer channel (the web widget now; WhatsApp and Messenger next). Inbound messages enter the
 * log through `RelayLog.appendInbound`, keyed by the channel's own message id; replies leave
 * through `deliver`, called after the reply is committed to the log — never inside a request.
 */
export interface Channel {
  readonly name: 'web' | 'whatsapp' | 'messenger';
  /** Sends a staff, AI or automatic reply to the customer; pull-based channels (the widget) do nothing. */
  deliver(tenantId: string, event: LoggedEvent): Promise<void>;
}
