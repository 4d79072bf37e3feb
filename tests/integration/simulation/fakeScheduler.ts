import type { Scheduler } from '../../../electron/sync/index.js';

/** Lets every pending promise chain run (SQLite calls are synchronous, so a few turns suffice). */
export async function settle(turns = 3): Promise<void> {
  for (let turn = 0; turn < turns; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}

/** A fake clock: timers run in time order (ties in creation order), only when the simulation says so. */
export class FakeScheduler implements Scheduler {
  #time = 0;
  #sequence = 0;
  #timers: { at: number; order: number; callback: () => void }[] = [];

  now(): number {
    return this.#time;
  }

  setTimeout(callback: () => void, milliseconds: number): () => void {
    const timer = { at: this.#time + Math.max(0, Math.round(milliseconds)), order: this.#sequence++, callback };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((candidate) => candidate !== timer);
    };
  }

  get pending(): number {
    return this.#timers.length;
  }

  /** Runs timers until none is due before `until`; `afterEach` runs after every timer (invariant probes). */
  async runUntil(until: number, afterEach?: () => void, maximumSteps = 2_000_000): Promise<void> {
    await settle();
    for (let step = 0; step < maximumSteps; step += 1) {
      this.#timers.sort((a, b) => a.at - b.at || a.order - b.order);
      const next = this.#timers[0];
      if (!next || next.at > until) break;
      this.#timers.shift();
      this.#time = next.at;
      next.callback();
      await settle();
      afterEach?.();
    }
    this.#time = Math.max(this.#time, until);
  }
}

/** mulberry32: a small seeded generator, so a failing run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
