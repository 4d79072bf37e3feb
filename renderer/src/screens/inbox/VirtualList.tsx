import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * Renders only the rows in view (plus a few either side) inside a scroll box as tall as all rows,
 * so 100,000 conversations cost the same to draw as 20. Rows have one fixed height.
 */
export function VirtualList({
  count,
  rowHeight,
  height,
  overscan = 6,
  label,
  onRangeChange,
  renderRow,
}: {
  count: number;
  rowHeight: number;
  height: number;
  overscan?: number;
  label: string;
  onRangeChange?: (start: number, end: number) => void;
  renderRow: (index: number) => ReactNode;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  useEffect(() => onRangeChange?.(start, end), [start, end, onRangeChange]);
  useEffect(() => {
    // A shorter list (a new filter) must not leave the box scrolled past its end.
    if (box.current && scrollTop > count * rowHeight) {
      box.current.scrollTop = 0;
      setScrollTop(0);
    }
  }, [count, rowHeight, scrollTop]);
  const rows: ReactNode[] = [];
  for (let index = start; index < end; index += 1) {
    rows.push(
      <li key={index} role="listitem" style={{ position: 'absolute', top: index * rowHeight, height: rowHeight, left: 0, right: 0 }}>
        {renderRow(index)}
      </li>,
    );
  }
  return (
    <div ref={box} className="virtual-list" style={{ height, overflowY: 'auto', position: 'relative' }} onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}>
      <ul aria-label={label} aria-rowcount={count} style={{ height: count * rowHeight, position: 'relative', margin: 0, padding: 0, listStyle: 'none' }}>
        {rows}
      </ul>
    </div>
  );
}
