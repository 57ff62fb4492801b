import type { ReactNode } from 'react';
import { splitEmoji, type CustomEmoji } from '../../../../src/protocol/custom-emoji';

const URL_PATTERN = /(https?:\/\/[^\s<>"']+)/g;

/**
 * Text with its http(s) links clickable and its `:shortcode:`s as the pictures `emoji` names
 * (NIP-30; the parser kept only http(s) ones); React escapes everything else.
 */
export function Linkified({ text, emoji = [] }: { text: string; emoji?: readonly CustomEmoji[] | undefined }) {
  const parts: ReactNode[] = text.split(URL_PATTERN).map((part, index) =>
    index % 2 === 1 ? (
      <a key={index} href={part} target="_blank" rel="noopener noreferrer nofollow" className="text-accent underline break-all">
        {part}
      </a>
    ) : (
      splitEmoji(part, emoji).map((piece, at) =>
        typeof piece === 'string' ? (
          piece
        ) : (
          <img key={`${index}-${at}`} src={piece.url} alt={`:${piece.shortcode}:`} title={`:${piece.shortcode}:`} className="inline h-5 w-auto align-text-bottom" loading="lazy" referrerPolicy="no-referrer" />
        ),
      )
    ),
  );
  return <>{parts}</>;
}
