import { useState } from 'react';

/**
 * A form field that shows `stored` (a saved value or a suggestion, which may load or refresh at any
 * time) until the user edits it; from then on it shows their draft, and a refresh never overwrites
 * it. `discard` goes back to the stored value (after saving, for example).
 */
export function useDraft(stored: string): [value: string, edit: (value: string) => void, discard: () => void] {
  const [draft, setDraft] = useState<string | null>(null);
  return [draft ?? stored, setDraft, () => setDraft(null)];
}
