import { Maximize2, Minimize2, PanelRightClose, PanelRightOpen } from 'lucide-react';
import { useEffect, useId, useState } from 'react';
import type { Coordinate } from '../../../../src/protocol/coordinate';
import { cn } from '../../lib/cn';
import { displayName, useProfile } from '../../lib/profiles';
import { useDocumentTitle } from '../../lib/use-document-title';
import { DESKTOP_QUERY, useMediaQuery } from '../../lib/use-media-query';
import { ChatPanel } from '../chat/chat-panel';
import { Button } from '../ui/button';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '../ui/tabs';
import { HostRow, nostrAddressOf, StreamAbout } from './stream-about';
import { StreamHeadline } from './stream-headline';
import { ShareMenu } from './share-menu';
import { StreamStage } from './stream-stage';
import { useStreamPage, type StreamPageState } from './use-stream-page';

function StreamChat({ page }: { page: StreamPageState }) {
  if (!page.host) return null;
  return (
    <ChatPanel
      stream={page.coordinate}
      channel={page.channel}
      hostPubkey={page.host}
      moderators={page.moderators}
      chatEnabled={page.api?.enable_chat ?? true}
      notices={page.notices}
      listening={page.listening}
      zaps={page.zaps.zaps}
      {...(page.zappable && { zapRelays: page.zapRelays })}
      {...(page.viewers !== undefined && { viewers: page.viewers })}
    />
  );
}

/** Desktop only: theatre mode until Escape (an open menu or dialog takes its Escape first: Radix marks it handled). */
function useTheatre(enabled: boolean) {
  const [theatre, setTheatre] = useState(false);
  const on = theatre && enabled;
  useEffect(() => {
    if (!on) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) setTheatre(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [on]);
  return [on, setTheatre] as const;
}

/**
 * One tree for both sizes, so that a window resized across the line (a tablet turned, a window
 * snapped to half the screen) keeps the player playing and the chat's half-typed message.
 *
 * Phones: the player stays at the top and the chat fills the screen below it (Twitch's app), with
 * the stream's details one tab away; the page itself does not scroll; turned sideways, the player
 * fills the screen. Desktop: the chat column beside the player, which folds away; theatre mode gives
 * the player the whole window but the chat (the site's header goes under it) until Escape or the toggle.
 */
function StreamLayout({ page, desktop }: { page: StreamPageState; desktop: boolean }) {
  const [chatCollapsed, setChatCollapsed] = useState(false);
  const [theatre, setTheatre] = useTheatre(desktop);
  const [tab, setTab] = useState('chat');
  const asideId = useId();
  const withChat = !desktop || !chatCollapsed;
  const naddr = nostrAddressOf(page);
  return (
    <Tabs
      value={tab}
      onValueChange={setTab}
      data-testid="stream-layout"
      data-theatre={theatre}
      className={cn(
        desktop
          ? cn('grid gap-4', withChat && 'grid-cols-[1fr_22rem]', theatre && 'fixed inset-0 z-40 gap-2 overflow-hidden bg-background p-2')
          : // The screen less the header (3.5rem) and the page's padding (2rem): the chat ends at the bottom edge.
            'flex h-[calc(100dvh-5.5rem)] flex-col gap-2',
      )}
    >
      <div className={cn(desktop ? cn('min-w-0 space-y-3', theatre && 'overflow-y-auto') : 'flex shrink-0 flex-col gap-2')}>
        {/* In theatre mode the player is as wide as the window's height lets a 16:9 picture be. */}
        <div className={cn(theatre && 'mx-auto w-full max-w-[calc((100dvh-6rem)*16/9)]')}>
          <StreamStage page={page} landscapeFill={!desktop} />
        </div>
        <StreamHeadline page={page} compact={!desktop}>
          <ShareMenu title={page.title} link={page.link} naddr={naddr} iconOnly={!desktop} />
          {desktop && (
            <>
              <Button size="sm" variant="secondary" aria-pressed={theatre} onClick={() => setTheatre(!theatre)}>
                {theatre ? <Minimize2 className="h-4 w-4" aria-hidden /> : <Maximize2 className="h-4 w-4" aria-hidden />}
                Theatre mode
              </Button>
              <Button size="sm" variant="secondary" aria-expanded={withChat} aria-controls={asideId} onClick={() => setChatCollapsed(withChat)}>
                {withChat ? <PanelRightClose className="h-4 w-4" aria-hidden /> : <PanelRightOpen className="h-4 w-4" aria-hidden />}
                {withChat ? 'Hide chat' : 'Show chat'}
              </Button>
            </>
          )}
        </StreamHeadline>
        <HostRow page={page} />
        {desktop ? (
          <StreamAbout page={page} />
        ) : (
          <TabsList className="w-full">
            <TabsTrigger value="chat" className="flex-1">
              Chat
            </TabsTrigger>
            <TabsTrigger value="about" className="flex-1">
              About
            </TabsTrigger>
          </TabsList>
        )}
      </div>
      {/* Kept mounted at both sizes (a tab panel on phones, the column beside the player on desktops); hidden, not unmounted, when inactive. */}
      <TabsContent
        value="chat"
        forceMount
        asChild
        // On desktops the column is no tab panel: the aside it is, beside the player.
        {...(desktop && { id: asideId, role: undefined, 'aria-labelledby': undefined, tabIndex: undefined, 'data-state': 'active' })}
        className={cn(
          'mt-0 min-h-0 data-[state=inactive]:hidden',
          desktop ? cn(!withChat && 'hidden', theatre ? 'min-h-0' : 'h-[70vh]') : 'flex-1',
        )}
      >
        <aside>
          <StreamChat page={page} />
        </aside>
      </TabsContent>
      {!desktop && (
        <TabsContent value="about" forceMount className="mt-0 min-h-0 flex-1 overflow-y-auto data-[state=inactive]:hidden">
          <StreamAbout page={page} />
        </TabsContent>
      )}
    </Tabs>
  );
}

/** One stream's page at either size. */
export function StreamView({ coordinate, hints }: { coordinate: Coordinate; hints: string[] }) {
  const page = useStreamPage(coordinate, hints);
  const desktop = useMediaQuery(DESKTOP_QUERY);
  const hostProfile = useProfile(page.host);
  useDocumentTitle(page.known ? page.title : undefined, page.host ? displayName(page.host, hostProfile.data) : undefined);
  return <StreamLayout page={page} desktop={desktop} />;
}
