import type { AresCore } from '../core/aresCore.js';
import { syncServiceFor } from '../sync/index.js';
import type { TenantDatabase, TenantSession } from '../vault/index.js';

/** Conversations waiting for a person (the facet table kept by triggers: one indexed count). */
export function needsHumanCount(database: TenantDatabase): number {
  return (database.prepare("select count(*) as count from inbox_conversation_facets where status = 'needs_human'").get() as { count: number }).count;
}

export interface AttentionWatchOptions {
  /** Sync reports a change per applied page; a burst of pages is counted once after it settles. */
  settleMilliseconds?: number;
}

/**
 * Calls `listener` with the number of conversations needing a person whenever it changes: on
 * unlock, after synced or local changes, and 0 when the tenant locks (a locked app shows nothing
 * about its conversations). The shell turns this into the dock/taskbar badge.
 */
export function watchAttentionCount(core: AresCore, listener: (count: number) => void, options: AttentionWatchOptions = {}): () => void {
  const settleMilliseconds = options.settleMilliseconds ?? 150;
  let last: number | null = null;
  let stopSession: (() => void) | null = null;
  let timer: NodeJS.Timeout | null = null;

  const report = (count: number) => {
    if (count === last) return;
    last = count;
    listener(count);
  };
  const countNow = (session: TenantSession) => {
    if (session.closed || core.session !== session) return;
    try {
      report(needsHumanCount(session.database));
    } catch {
      // The database closed between the check and the query (a lock racing a change): the lock reports 0.
    }
  };
  const detach = () => {
    stopSession?.();
    stopSession = null;
    if (timer) clearTimeout(timer);
    timer = null;
  };
  const attach = (session: TenantSession) => {
    detach();
    const stop = syncServiceFor(session).onChange(() => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        countNow(session);
      }, settleMilliseconds);
    });
    stopSession = stop;
    countNow(session);
  };

  const stopState = core.onStateChange((change) => {
    if (change.reason === 'unlocked' && core.session && !core.session.closed) attach(core.session);
    else {
      detach();
      report(0);
    }
  });
  if (core.session && !core.session.closed) attach(core.session);
  else report(0);

  return () => {
    stopState();
    detach();
  };
}
