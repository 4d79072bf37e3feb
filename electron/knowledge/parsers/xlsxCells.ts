import { parse } from 'node-html-parser';

function columnIndex(reference: string): number {
  const letters = /^[A-Z]+/.exec(reference)?.[0] ?? 'A';
  return [...letters].reduce((total, letter) => total * 26 + letter.charCodeAt(0) - 64, 0) - 1;
}

/**
 * A plain reading of the first worksheet's cell values (shared strings, inline strings, cached
 * formula results), for workbooks that exceljs refuses. Formatting is ignored.
 */
/** Drops namespace prefixes (<x:row>), which some writers use and the HTML parser cannot select. */
function withoutPrefixes(xml: string): string {
  return xml.replace(/<(\/?)[A-Za-z][\w.-]*:/g, '<$1');
}

export function readSheetCells(parts: Map<string, Buffer>): string[][] | null {
  const sheetName = [...parts.keys()].filter((key) => key.startsWith('xl/worksheets/')).sort()[0];
  if (!sheetName) return null;
  const sharedStrings: string[] = [];
  const shared = parts.get('xl/sharedStrings.xml');
  if (shared) {
    for (const item of parse(withoutPrefixes(shared.toString('utf8'))).querySelectorAll('si')) {
      sharedStrings.push(item.querySelectorAll('t').map((text) => text.text).join(''));
    }
  }
  const matrix: string[][] = [];
  for (const row of parse(withoutPrefixes(parts.get(sheetName)!.toString('utf8'))).querySelectorAll('row')) {
    const cells: string[] = [];
    for (const cell of row.querySelectorAll('c')) {
      const index = columnIndex(cell.getAttribute('r') ?? '');
      const type = cell.getAttribute('t');
      const raw = cell.querySelector('v')?.text ?? '';
      let value = raw;
      if (type === 's') value = sharedStrings[Number(raw)] ?? '';
      else if (type === 'inlineStr') value = cell.querySelectorAll('t').map((text) => text.text).join('');
      while (cells.length < index) cells.push('');
      cells[index] = value;
    }
    matrix.push(cells);
  }
  return matrix;
}
