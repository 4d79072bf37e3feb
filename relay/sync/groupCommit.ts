import type { LoggedEvent } from '../../shared/schemas/sync.js';
import type { LogTransaction, RelayStorage } from '../storage/relayStorage.js';

/** What one queued piece of work produced: its answer and the events it appended (in seq order). */
export interface GroupedOutcome<T> {
  value: T;
  appended: (LoggedEvent & { epoch: string })[];
}

interface Pending {
  work: (transaction: LogTransaction) => Promise<GroupedOutcome<unknown>>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Enough to amortise one commit (one fsync) well; small enough that one transaction stays short. */
const maximumBatch = 256;

/**
 * Group commit for one relay process. Appends to a tenant's log are serialised anyway (the head row
 * is the counter), so while one transaction runs, later appends of the same tenant queue here and
 * the next transaction takes all of them: one commit, one fsync and one lock for the whole group.
 * Nobody waits for a timer — an append that finds the tenant idle starts in the next turn of the
 * event loop, once the requests that arrived with it (read in the same turn) have queued too.
 *
 * Every caller is answered only after the transaction holding its work has committed, and events
 * are published in seq order after that commit. If a group fails, each of its items is retried in
 * a transaction of its own, so one bad item fails alone and the others still commit.
 */
export class GroupCommit {
  readonly #storage: RelayStorage;
  readonly #published: (tenantId: string, appended: (LoggedEvent & { epoch: string })[]) => void;
  readonly #queues = new Map<string, Pending[]>();

  constructor(storage: RelayStorage, published: (tenantId: string, appended: (LoggedEvent & { epoch: string })[]) => void) {
    this.#storage = storage;
    this.#published = published;
  }

  run<T>(tenantId: string, work: (transaction: LogTransaction) => Promise<GroupedOutcome<T>>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const item: Pending = { work, resolve: resolve as (value: unknown) => void, reject };
      const queue = this.#queues.get(tenantId);
      if (queue) {
        queue.push(item);
        return;
      }
      this.#queues.set(tenantId, [item]);
      // After the I/O callbacks of this turn: requests that arrived together then commit together.
      setImmediate(() => void this.#drain(tenantId));
    });
  }

  async #drain(tenantId: string): Promise<void> {
    const queue = this.#queues.get(tenantId)!;
    while (queue.length > 0) {
      const group = queue.splice(0, maximumBatch);
      if (group.length === 1) await this.#runAlone(tenantId, group[0]!);
      else await this.#runGroup(tenantId, group);
    }
    this.#queues.delete(tenantId);
  }

  async #runGroup(tenantId: string, group: Pending[]): Promise<void> {
    let outcomes: GroupedOutcome<unknown>[];
    try {
      outcomes = await this.#storage.transaction(tenantId, async (transaction) => {
        const done: GroupedOutcome<unknown>[] = [];
        for (const item of group) done.push(await item.work(transaction));
        return done;
      });
    } catch {
      // Rolled back as a whole: nothing of it is visible. Give each item its own transaction.
      for (const item of group) await this.#runAlone(tenantId, item);
      return;
    }
    this.#published(tenantId, outcomes.flatMap((outcome) => outcome.appended));
    for (const [index, item] of group.entries()) item.resolve(outcomes[index]!.value);
  }

  async #runAlone(tenantId: string, item: Pending): Promise<void> {
    let outcome: GroupedOutcome<unknown>;
    try {
      outcome = await this.#storage.transaction(tenantId, item.work);
    } catch (error) {
      item.reject(error);
      return;
    }
    this.#published(tenantId, outcome.appended);
    item.resolve(outcome.value);
  }
}
