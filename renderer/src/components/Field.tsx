import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

/** A labelled input; the label is always visible and tied to the input for screen readers. */
export function Field({ label, hint, ...inputProps }: { label: string; hint?: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} {...inputProps} />
      {hint}
    </div>
  );
}
