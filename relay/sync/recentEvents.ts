import type { EventPage, LoggedEvent } from '../../shared/schemas/sync.js';
import { markShared } from './sharedLivePages.js';

const keptPerTenant = 4096;

/**
 * The newest events of each tenant's log, kept in memory in seq order as they commit. Live
 * subscribers at the tail (the usual case) read from here instead of each querying the database
 * for the same rows; anything not contiguous here falls back to storage.
 */
export class RecentEvents {
  /** `pages`: live pages built since the last commit, by the seq they start after (see {@link page}). */
  readonly #tenants = new Map<string, { epoch: string; events: LoggedEvent[]; pages: Map<number, EventPage> }>();

  /** Called right after a commit, in commit order. */
  committed(tenantId: string, epoch: string, event: LoggedEvent): void {
    let recent = this.#tenants.get(tenantId);
    if (!recent || recent.epoch !== epoch) {
      recent = { epoch, events: [], pages: new Map() };
      this.#tenants.set(tenantId, recent);
    }
    const last = recent.events.at(-1);
    // A hole (a commit this process did not see) makes the cache unusable: start it again.
    if (last && event.seq !== last.seq + 1) recent.events = [];
    recent.events.push(event);
    recent.pages.clear();
    // Trimmed in chunks: cutting one event off the front on every commit moved the whole array each time.
    if (recent.events.length > keptPerTenant * 2) recent.events.splice(0, recent.events.length - keptPerTenant);
  }

  forget(tenantId: string): void {
    this.#tenants.delete(tenantId);
  }

  /** Events after `afterSeq` when the cache holds all of them, else null. */
  after(tenantId: string, epoch: string, afterSeq: number, limit: number): { events: LoggedEvent[]; headSeq: number } | null {
    const recent = this.#tenants.get(tenantId);
    const first = recent?.events[0];
    if (!recent || !first || recent.epoch !== epoch || afterSeq < first.seq - 1) return null;
    const headSeq = recent.events.at(-1)!.seq;
    if (afterSeq > headSeq) return null;
    const start = afterSeq - (first.seq - 1);
    return { events: recent.events.slice(start, start + limit), headSeq };
  }

  /**
   * The live page after `afterSeq` from the cache, or null. Between two commits every subscriber
   * at the same position gets the same page object, so its JSON is made once for all of them.
   */
  page(tenantId: string, epoch: string, afterSeq: number, limit: number): EventPage | null {
    const recent = this.#tenants.get(tenantId);
    if (!recent || recent.epoch !== epoch) return null;
    const built = recent.pages.get(afterSeq);
    if (built && built.events.length <= limit) return built;
    const tail = this.after(tenantId, epoch, afterSeq, limit);
    if (!tail) return null;
    const page = markShared<EventPage>({ kind: 'events', epoch, fromSeq: afterSeq, throughSeq: tail.events.at(-1)?.seq ?? afterSeq, headSeq: tail.headSeq, events: tail.events });
    recent.pages.set(afterSeq, page);
    return page;
  }
}
