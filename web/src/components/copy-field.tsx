import { Copy, Eye, EyeOff } from 'lucide-react';
import { useState } from 'react';
import { Button } from './ui/button';
import { Input, Textarea } from './ui/input';
import { Label } from './ui/label';

/**
 * A labelled read-only value with a Copy button (and, for a secret, Reveal): what a user pastes elsewhere.
 *
 *   <CopyField id="public-link" label="Public link" value={publicLinkOf(stream)} />
 */
export function CopyField({ id, label, value, secret }: { id: string; label: string; value: string; secret?: boolean }) {
  const [revealed, setRevealed] = useState(!secret);
  const [copied, setCopied] = useState(false);
  return (
    <div className="grid gap-1">
      <Label htmlFor={id}>{label}</Label>
      <div className={secret && revealed ? 'flex flex-wrap justify-end gap-2' : 'flex gap-2'}>
        {secret && revealed ? (
          // A key is typed or read out character by character: larger and spaced so its underscores show, on a line
          // of its own and wrapped (the buttons below) so all of it shows.
          <Textarea
            id={id}
            readOnly
            value={value}
            rows={2}
            className="field-sizing-content min-h-0 basis-full resize-none break-all font-mono text-base leading-7 tracking-wider"
          />
        ) : (
          <Input id={id} readOnly value={revealed ? value : '•'.repeat(24)} className="font-mono" />
        )}
        {secret && (
          <Button type="button" variant="secondary" size="icon" aria-label={revealed ? 'Hide key' : 'Reveal key'} onClick={() => setRevealed(!revealed)}>
            {revealed ? <EyeOff className="h-4 w-4" /> : <Eye className="h-4 w-4" />}
          </Button>
        )}
        <Button
          type="button"
          variant="secondary"
          aria-label={`Copy ${label}`}
          onClick={() =>
            void navigator.clipboard?.writeText(value).then(() => {
              setCopied(true);
              setTimeout(() => setCopied(false), 2000);
            })
          }
        >
          <Copy className="h-4 w-4" aria-hidden /> {copied ? 'Copied' : 'Copy'}
        </Button>
      </div>
    </div>
  );
}
