import { z } from 'zod';
import { accountClosureSchema, relayAuditEntrySchema, relayRetentionStatusSchema, type RelayRetentionRules } from '../../shared/schemas/relayPrivacy.js';
import { callRelay, relayApi, relayConnectionOf, type RelayApi } from '../sync/relayApi.js';
import type { TenantSession } from '../vault/index.js';

/**
 * The relay's `privacy.*` procedures (retention there, closing the account, its audit trail), called
 * with this tenant's device token. The relay checks roles: only the owner may close the account.
 */
export class RelayPrivacyClient {
  readonly #client: RelayApi;

  constructor(relayUrl: string, deviceToken: string) {
    this.#client = relayApi(relayUrl, deviceToken);
  }

  static forSession(session: TenantSession): RelayPrivacyClient {
    const connection = relayConnectionOf(session);
    return new RelayPrivacyClient(connection.relayUrl, connection.deviceToken);
  }

  retention() {
    return callRelay(this.#client, 'query', 'privacy.retention', undefined, relayRetentionStatusSchema);
  }

  setRetention(rules: RelayRetentionRules) {
    return callRelay(this.#client, 'mutation', 'privacy.setRetention', rules, relayRetentionStatusSchema);
  }

  closure() {
    return callRelay(this.#client, 'query', 'privacy.closure', undefined, accountClosureSchema);
  }

  closeAccount(graceDays: number) {
    return callRelay(this.#client, 'mutation', 'privacy.closeAccount', { graceDays, confirm: 'CLOSE' }, accountClosureSchema);
  }

  cancelClosure() {
    return callRelay(this.#client, 'mutation', 'privacy.cancelClosure', undefined, accountClosureSchema);
  }

  audit() {
    return callRelay(this.#client, 'query', 'privacy.audit', undefined, z.array(relayAuditEntrySchema));
  }
}
