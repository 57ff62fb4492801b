import { Copy, Link2, Share2 } from 'lucide-react';
import { Button } from '../ui/button';
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from '../ui/dropdown-menu';
import { toast } from '../ui/toast';

async function copy(text: string, what: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    toast({ title: `${what} copied` });
  } catch {
    toast({ title: `Could not copy the ${what.toLowerCase()}`, description: text });
  }
}

/**
 * The stream page's Share menu: its link, its Nostr address (for other Nostr apps; none for a
 * private stream), and the system share sheet where the browser has one (phones).
 *
 * `iconOnly` (phones): the button is its icon, named Share, so the headline stays one line.
 *
 *   <ShareMenu title={title} link={page.link} naddr={naddr} />
 */
export function ShareMenu({ title, link, naddr, iconOnly = false }: { title: string; link: string; naddr: string | undefined; iconOnly?: boolean }) {
  const canShare = typeof navigator.share === 'function';
  return (
    // Not modal: the page behind stays in the accessibility tree (a modal menu hides it, focusable controls and all).
    <DropdownMenu modal={false}>
      <DropdownMenuTrigger asChild>
        {iconOnly ? (
          <Button size="icon" variant="secondary" aria-label="Share" className="shrink-0 pointer-coarse:h-11 pointer-coarse:w-11">
            <Share2 className="h-4 w-4" aria-hidden />
          </Button>
        ) : (
          <Button size="sm" variant="secondary">
            <Share2 className="h-4 w-4" aria-hidden /> Share
          </Button>
        )}
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuItem onSelect={() => void copy(link, 'Link')}>
          <Link2 className="h-4 w-4" aria-hidden /> Copy link
        </DropdownMenuItem>
        {naddr && (
          <DropdownMenuItem onSelect={() => void copy(naddr, 'Nostr address')}>
            <Copy className="h-4 w-4" aria-hidden /> Copy nostr address
          </DropdownMenuItem>
        )}
        {canShare && (
          // Dismissed share sheets reject: the user changed their mind, nothing to report.
          <DropdownMenuItem onSelect={() => void navigator.share({ title, url: link }).catch(() => undefined)}>
            <Share2 className="h-4 w-4" aria-hidden /> Share…
          </DropdownMenuItem>
        )}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
