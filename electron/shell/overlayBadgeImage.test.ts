import { describe, expect, it } from 'vitest';
import { badgeImage, badgeLabel } from './overlayBadgeImage.js';

/** The image as text: "#" white (digits), "o" the red disc, "." transparent. */
function picture(count: number): string[] {
  const image = badgeImage(count);
  const rows: string[] = [];
  for (let y = 0; y < image.size; y += 1) {
    let row = '';
    for (let x = 0; x < image.size; x += 1) {
      const offset = (y * image.size + x) * 4;
      const [blue, green, red, alpha] = [image.bgra[offset]!, image.bgra[offset + 1]!, image.bgra[offset + 2]!, image.bgra[offset + 3]!];
      row += alpha === 0 ? '.' : blue === 0xff && green === 0xff && red === 0xff ? '#' : 'o';
    }
    rows.push(row);
  }
  return rows;
}

describe('the Windows taskbar overlay badge image', () => {
  it('draws a single digit in white on a red disc with transparent corners', () => {
    const rows = picture(7);
    expect(rows).toHaveLength(16);
    expect(rows.every((row) => row.length === 16)).toBe(true);
    expect(rows[0]![0]).toBe('.');
    expect(rows[15]![15]).toBe('.');
    expect(rows[8]![1]).toBe('o');
    // A 7: a full top bar, then the right-hand stroke only.
    expect(rows[3]!.slice(5, 11)).toBe('######');
    expect(rows[7]!.slice(5, 11)).toBe('oooo##');
    const image = badgeImage(7);
    expect(image.bgra.length).toBe(16 * 16 * 4);
    expect(image.label).toBe('7');
  });

  it('shows counts past nine as "9+" and draws different counts differently', () => {
    expect([badgeLabel(1), badgeLabel(9), badgeLabel(10), badgeLabel(250)]).toEqual(['1', '9', '9+', '9+']);
    expect(picture(12)).toEqual(picture(10));
    expect(picture(3)).not.toEqual(picture(8));
    expect(picture(12).join('\n')).toContain('######');
  });
});
