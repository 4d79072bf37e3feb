import type { AresCore } from '../core/aresCore.js';
import { watchAttentionCount } from '../inbox/attentionCount.js';
import { badgeImage, type BadgeImage } from './overlayBadgeImage.js';

/** The part of Electron's `app` the badge needs (a fake in tests: Electron does not run there). */
export interface BadgeSetter {
  setBadgeCount(count: number): boolean;
}

/** The Windows taskbar overlay: main.ts turns the image into a nativeImage for `BrowserWindow.setOverlayIcon`. */
export interface OverlaySetter {
  setOverlay(image: BadgeImage | null, description: string): void;
}

/**
 * The dock (macOS) or launcher (Linux, Unity-compatible desktops) badge: how many conversations
 * need a person, 0 (no badge) while the tenant is locked. Windows has no badge count, so there the
 * count is drawn as the taskbar button's overlay icon (with a description for screen readers).
 */
export function attachAttentionBadge(core: AresCore, badge: BadgeSetter, platform: NodeJS.Platform = process.platform, overlay?: OverlaySetter): () => void {
  if (platform === 'win32') {
    if (!overlay) return () => {};
    const stop = watchAttentionCount(core, (count) => {
      overlay.setOverlay(count > 0 ? badgeImage(count) : null, count > 0 ? `${count} conversation${count === 1 ? '' : 's'} need${count === 1 ? 's' : ''} a person` : '');
    });
    return () => {
      stop();
      overlay.setOverlay(null, '');
    };
  }
  const stop = watchAttentionCount(core, (count) => {
    // False means this desktop environment has no launcher badge; nothing else to do about it.
    badge.setBadgeCount(count);
  });
  return () => {
    stop();
    badge.setBadgeCount(0);
  };
}
