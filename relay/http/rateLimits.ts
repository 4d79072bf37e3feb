import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AresError } from '../../shared/errors.js';

export type RateLimitName = 'loginPerAddress' | 'loginPerAccount' | 'registerPerAddress' | 'apiPerDevice' | 'widgetSessionPerAddress' | 'widgetPerAddress' | 'widgetMessagePerVisitor';

/** Points per window. Chosen so a person never meets them and a script guessing passwords does quickly. */
const limits: Record<RateLimitName, { points: number; durationSeconds: number }> = {
  loginPerAddress: { points: 30, durationSeconds: 60 },
  loginPerAccount: { points: 10, durationSeconds: 300 },
  registerPerAddress: { points: 10, durationSeconds: 3600 },
  apiPerDevice: { points: 3000, durationSeconds: 60 },
  widgetSessionPerAddress: { points: 30, durationSeconds: 60 },
  widgetPerAddress: { points: 600, durationSeconds: 60 },
  widgetMessagePerVisitor: { points: 30, durationSeconds: 60 },
};

/**
 * In-memory limiters (one relay process). `scale` multiplies every limit; 0 turns limiting off,
 * which only the load benchmarks do, since they send from one address.
 */
export class RateLimits {
  readonly #limiters = new Map<RateLimitName, RateLimiterMemory>();
  readonly #enabled: boolean;

  constructor(scale = 1) {
    this.#enabled = scale > 0;
    for (const [name, limit] of Object.entries(limits) as [RateLimitName, { points: number; durationSeconds: number }][]) {
      this.#limiters.set(name, new RateLimiterMemory({ points: Math.max(1, Math.round(limit.points * scale)), duration: limit.durationSeconds }));
    }
  }

  async consume(name: RateLimitName, key: string): Promise<void> {
    if (!this.#enabled) return;
    try {
      await this.#limiters.get(name)!.consume(key);
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        const retryAfterSeconds = Math.ceil(error.msBeforeNext / 1000);
        throw new AresError('RATE_LIMITED', `Too many requests. Try again in ${retryAfterSeconds} seconds.`, { retryAfterSeconds });
      }
      throw error;
    }
  }

  async forgive(name: RateLimitName, key: string): Promise<void> {
    if (this.#enabled) await this.#limiters.get(name)!.delete(key);
  }
}
