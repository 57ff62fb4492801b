import type { ReactNode } from 'react';
import { cn } from '../../lib/cn';

export interface Choice<T extends string> {
  readonly value: T;
  readonly label: ReactNode;
  readonly hint: ReactNode;
}

/**
 * One of a few choices as radio cards: native radios, so arrow keys and screen readers work
 * as usual; each is named by its label alone and described by the sentence under it.
 */
export function ChoiceCards<T extends string>({
  legend,
  name,
  choices,
  value,
  onChange,
}: {
  legend: string;
  name: string;
  choices: readonly Choice<T>[];
  value: T;
  onChange: (value: T) => void;
}) {
  return (
    <fieldset className="grid gap-2">
      <legend className="mb-1 text-sm font-medium text-foreground">{legend}</legend>
      <div className="grid gap-2 sm:grid-cols-2">
        {choices.map((choice) => (
          <label
            key={choice.value}
            className={cn(
              'flex cursor-pointer gap-3 rounded-md border border-border bg-surface p-3 focus-within:ring-2 focus-within:ring-accent',
              value === choice.value && 'border-accent bg-accent/10',
            )}
          >
            <input
              type="radio"
              name={name}
              value={choice.value}
              checked={value === choice.value}
              onChange={() => onChange(choice.value)}
              aria-labelledby={`${name}-${choice.value}-label`}
              aria-describedby={`${name}-${choice.value}-hint`}
              className="mt-1 accent-accent"
            />
            <span className="grid gap-1">
              <span id={`${name}-${choice.value}-label`} className="flex items-center gap-2 text-sm font-medium">
                {choice.label}
              </span>
              <span id={`${name}-${choice.value}-hint`} className="text-xs text-muted">
                {choice.hint}
              </span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
