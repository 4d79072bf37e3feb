import { describe, expect, it } from 'vitest';
import { counted } from './counted.js';

describe('counted', () => {
  it('puts the noun in the number the count needs', () => {
    expect([counted(0, 'change'), counted(1, 'change'), counted(2, 'change')]).toEqual(['0 changes', '1 change', '2 changes']);
    expect(counted(3, 'reply', 'replies')).toBe('3 replies');
  });
});
