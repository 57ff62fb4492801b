import { useState, type InputHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { characters } from '../../../src/protocol/stream-settings';
import { cn } from '../lib/cn';
import { Input, Textarea } from './ui/input';

type Shared = { id: string; max: number; defaultValue?: string; 'aria-describedby'?: string };

/**
 * A text field with "12 / 100" under it, counted as the API counts (code points, trimmed), red
 * past the limit. The count is part of the field's description, read when it is focused rather
 * than announced on every key.
 *
 *   <CountedField id="title" name="title" max={LIMITS.titleMax} aria-describedby="title-error" />
 *   <CountedField multiline id="description" name="description" max={LIMITS.descriptionMax} />
 */
export function CountedField(
  props:
    | ({ multiline?: false } & Shared & Omit<InputHTMLAttributes<HTMLInputElement>, keyof Shared>)
    | ({ multiline: true } & Shared & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, keyof Shared>),
) {
  const { id, max, defaultValue = '', 'aria-describedby': describedBy, multiline, ...rest } = props;
  const [count, setCount] = useState(() => characters(defaultValue.trim()));
  const countId = `${id}-count`;
  const over = count > max;
  const describe = [describedBy, countId].filter(Boolean).join(' ');
  const onInput = (value: string) => setCount(characters(value.trim()));
  return (
    <>
      {multiline ? (
        <Textarea {...(rest as TextareaHTMLAttributes<HTMLTextAreaElement>)} id={id} defaultValue={defaultValue} aria-describedby={describe} onInput={(event) => onInput(event.currentTarget.value)} />
      ) : (
        <Input {...(rest as InputHTMLAttributes<HTMLInputElement>)} id={id} defaultValue={defaultValue} aria-describedby={describe} onInput={(event) => onInput(event.currentTarget.value)} />
      )}
      <p id={countId} data-testid={countId} className={cn('justify-self-end text-xs tabular-nums', over ? 'font-medium text-live' : 'text-muted')}>
        <span aria-hidden>
          {count} / {max}
        </span>
        <span className="sr-only">
          {count} of {max} characters{over ? ', too long' : ''}
        </span>
      </p>
    </>
  );
}

