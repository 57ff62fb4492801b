import type { ReactNode } from 'react';

const URL_PATTERN = /(https?:\/\/[^\s<>"']+)/g;

/** Text with its http(s) links clickable; React escapes everything else. */
export function Linkified({ text }: { text: string }) {
  const parts: ReactNode[] = text.split(URL_PATTERN).map((part, index) =>
    index % 2 === 1 ? (
      <a key={index} href={part} target="_blank" rel="noopener noreferrer nofollow" className="text-accent underline break-all">
        {part}
      </a>
    ) : (
      part
    ),
  );
  return <>{parts}</>;
}
