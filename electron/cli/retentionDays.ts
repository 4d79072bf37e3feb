import { AresError } from '../../shared/errors.js';
import { counted } from './counted.js';

/** A retention option's value: "off" (or "none") keeps everything; otherwise a whole number of days. */
export function retentionDays(value: string): number | null {
  if (value === 'off' || value === 'none') return null;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new AresError('INVALID_INPUT', `"${value}" is not a number of days (or "off").`);
  return parsed;
}

/** A retention rule in words. */
export const describeDays = (value: number | null) => (value === null ? 'kept' : counted(value, 'day'));
