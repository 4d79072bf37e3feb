import type { TenantRecord } from './tenantRecords.js';

/**
 * Wrong passphrases slow down: the first few are free (typos), then each failure doubles the
 * wait up to a ceiling. The ceiling keeps the owner from being locked out for good, while an
 * online guesser gets a few hundred tries a day at most. The KDF is the real protection against
 * offline guessing; this covers someone at the keyboard or a script against the API.
 */
const freeFailures = 3;
const firstDelayMilliseconds = 1_000;
const maximumDelayMilliseconds = 5 * 60_000;

export type Throttle = TenantRecord['unlockThrottle'];

export const noThrottle: Throttle = { failures: 0, nextAttemptAt: 0 };

export function delayAfterFailures(failures: number): number {
  if (failures < freeFailures) return 0;
  return Math.min(maximumDelayMilliseconds, firstDelayMilliseconds * 2 ** (failures - freeFailures));
}

export function recordFailure(throttle: Throttle, now: number): Throttle {
  const failures = throttle.failures + 1;
  return { failures, nextAttemptAt: now + delayAfterFailures(failures) };
}

export function millisecondsUntilNextAttempt(throttle: Throttle, now: number): number {
  return Math.max(0, throttle.nextAttemptAt - now);
}
