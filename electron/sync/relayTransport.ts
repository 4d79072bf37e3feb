import type { Cursor, EventPage, LeaseState, PullResult, PushInput, PushResult } from '../../shared/schemas/sync.js';

export interface LiveHandlers {
  onPage(page: PullResult): void;
  /** The live stream broke (network, relay restart); the engine goes back to pulling. */
  onError(error: unknown): void;
}

/**
 * How the sync engine reaches the relay. The real one is tRPC over HTTP and WebSocket; the
 * simulation drives the relay's own log in-process through one that drops, duplicates, reorders
 * and delays.
 */
export interface RelayTransport {
  push(input: PushInput): Promise<PushResult>;
  pull(cursor: Cursor, limit: number): Promise<PullResult>;
  /** Starts streaming pages after `cursor`; returns the function that stops it. */
  live(cursor: Cursor, handlers: LiveHandlers): () => void;
  acknowledge(cursor: Cursor): Promise<void>;
  acquireLease(ttlSeconds: number): Promise<LeaseState>;
  releaseLease(): Promise<void>;
  close(): void;
}

/** Timers behind an interface, so the simulation runs the engine on a fake clock. */
export interface Scheduler {
  now(): number;
  setTimeout(callback: () => void, milliseconds: number): () => void;
}

export const realScheduler: Scheduler = {
  now: () => Date.now(),
  setTimeout(callback, milliseconds) {
    const timer = setTimeout(callback, milliseconds);
    timer.unref?.();
    return () => clearTimeout(timer);
  },
};

export type { EventPage };
