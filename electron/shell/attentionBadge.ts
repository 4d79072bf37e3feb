import type { AresCore } from '../core/aresCore.js';
import { watchAttentionCount } from '../inbox/attentionCount.js';

/** The part of Electron's `app` the badge needs (a fake in tests: Electron does not run there). */
export interface BadgeSetter {
  setBadgeCount(count: number): boolean;
}

/**
 * The dock (macOS) or launcher (Linux, Unity-compatible desktops) badge: how many conversations
 * need a person, 0 (no badge) while the tenant is locked.
 *
 * Windows has no badge count: it would need an overlay icon drawn per number on the taskbar
 * button, which is left out; the window title already carries the count there (the renderer sets it).
 */
export function attachAttentionBadge(core: AresCore, badge: BadgeSetter, platform: NodeJS.Platform = process.platform): () => void {
  if (platform === 'win32') return () => {};
  const stop = watchAttentionCount(core, (count) => {
    // False means this desktop environment has no launcher badge; nothing else to do about it.
    badge.setBadgeCount(count);
  });
  return () => {
    stop();
    badge.setBadgeCount(0);
  };
}
