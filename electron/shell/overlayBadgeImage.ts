/**
 * The Windows taskbar overlay badge: a 16×16 red disc with the count in white, drawn here as raw
 * BGRA pixels (what Electron's `nativeImage.createFromBitmap` takes) so no image files or canvas
 * are needed and the drawing runs, and is tested, under plain Node.
 */
export interface BadgeImage {
  size: number;
  /** size × size pixels, 4 bytes each: blue, green, red, alpha. */
  bgra: Buffer;
  /** What the digits read, e.g. "3" or "9+". */
  label: string;
}

const size = 16;
const disc = { blue: 0x25, green: 0x30, red: 0xd9 };

// 3×5 pixel glyphs, one string per row ("#" = lit).
const glyphs: Record<string, string[]> = {
  '0': ['###', '#.#', '#.#', '#.#', '###'],
  '1': ['.#.', '##.', '.#.', '.#.', '###'],
  '2': ['###', '..#', '###', '#..', '###'],
  '3': ['###', '..#', '###', '..#', '###'],
  '4': ['#.#', '#.#', '###', '..#', '..#'],
  '5': ['###', '#..', '###', '..#', '###'],
  '6': ['###', '#..', '###', '#.#', '###'],
  '7': ['###', '..#', '..#', '..#', '..#'],
  '8': ['###', '#.#', '###', '#.#', '###'],
  '9': ['###', '#.#', '###', '..#', '###'],
  '+': ['...', '.#.', '###', '.#.', '...'],
};

/** Counts past 9 show as "9+": two glyphs are all a 16-pixel icon can hold legibly. */
export function badgeLabel(count: number): string {
  return count > 9 ? '9+' : String(Math.max(0, Math.floor(count)));
}

export function badgeImage(count: number): BadgeImage {
  const label = badgeLabel(count);
  const bgra = Buffer.alloc(size * size * 4);
  const paint = (x: number, y: number, blue: number, green: number, red: number) => {
    const offset = (y * size + x) * 4;
    bgra[offset] = blue;
    bgra[offset + 1] = green;
    bgra[offset + 2] = red;
    bgra[offset + 3] = 0xff;
  };
  const centre = (size - 1) / 2;
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      if ((x - centre) ** 2 + (y - centre) ** 2 <= (size / 2) ** 2) paint(x, y, disc.blue, disc.green, disc.red);
    }
  }
  // Glyphs drawn at twice their size, one pixel apart, centred.
  const scale = 2;
  const width = label.length * 3 * scale + (label.length - 1);
  const left = Math.floor((size - width) / 2);
  const top = Math.floor((size - 5 * scale) / 2);
  [...label].forEach((character, index) => {
    const rows = glyphs[character]!;
    const glyphLeft = left + index * (3 * scale + 1);
    rows.forEach((row, rowIndex) => {
      [...row].forEach((cell, columnIndex) => {
        if (cell !== '#') return;
        for (let dy = 0; dy < scale; dy += 1) {
          for (let dx = 0; dx < scale; dx += 1) paint(glyphLeft + columnIndex * scale + dx, top + rowIndex * scale + dy, 0xff, 0xff, 0xff);
        }
      });
    });
  });
  return { size, bgra, label };
}
