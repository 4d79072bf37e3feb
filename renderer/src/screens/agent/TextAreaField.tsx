import { useId, type ReactNode, type TextareaHTMLAttributes } from 'react';

/** A labelled multi-line input, like `Field` for longer text. */
export function TextAreaField({ label, hint, ...textAreaProps }: { label: string; hint?: ReactNode } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} rows={3} {...textAreaProps} />
      {hint}
    </div>
  );
}
