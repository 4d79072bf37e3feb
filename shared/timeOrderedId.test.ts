import { describe, expect, it } from 'vitest';
import { eventIdSchema } from './schemas/sync.js';
import { timeOrderedId } from './timeOrderedId.js';

describe('time-ordered ids', () => {
  it('are valid event ids that sort in the order they were made, within and across milliseconds', async () => {
    const ids = Array.from({ length: 500 }, () => timeOrderedId());
    await new Promise((resolve) => setTimeout(resolve, 3));
    ids.push(...Array.from({ length: 500 }, () => timeOrderedId()));
    for (const id of ids) expect(eventIdSchema.safeParse(id).success).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});
