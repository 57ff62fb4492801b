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

/**
 * Phones: the player stays at the top and the chat fills the screen below it (Twitch's app),
 * with the stream's details one tab away; the page itself does not scroll. Turned sideways, the player fills the screen.
 */
function PhoneLayout({ page }: { page: StreamPageState }) {
  return (
    // The screen less the header (3.5rem) and the page's padding (2rem): the chat ends at the bottom edge.
    <div className="flex h-[calc(100dvh-5.5rem)] flex-col gap-2">
      <div className="shrink-0">
        <StreamStage page={page} landscapeFill />
      </div>
      <StreamHeadline page={page} compact>
        <ShareMenu title={page.title} link={page.link} naddr={nostrAddressOf(page)} iconOnly />
      </StreamHeadline>
      <HostRow page={page} />
      <Tabs defaultValue="chat" className="flex min-h-0 flex-1 flex-col">
        <TabsList className="w-full shrink-0">
          <TabsTrigger value="chat" className="flex-1">
            Chat
          </TabsTrigger>
          <TabsTrigger value="about" className="flex-1">
            About
          </TabsTrigger>
        </TabsList>
        {/* Both kept mounted (the inactive one hidden by its data-state): a half-typed message survives a look at the About tab. */}
        <TabsContent value="chat" forceMount className="mt-2 min-h-0 flex-1 data-[state=inactive]:hidden">
          <StreamChat page={page} />
        </TabsContent>
        <TabsContent value="about" forceMount className="mt-2 min-h-0 flex-1 overflow-y-auto data-[state=inactive]:hidden">
          <StreamAbout page={page} />
        </TabsContent>
      </Tabs>
    </div>
  );
}

/**
 * Desktop: the player with the chat column beside it, which folds away; theatre mode gives the
 * player the whole window but the chat (the site's header goes under it) until Escape or the toggle.
 */
function DesktopLayout({ page }: { page: StreamPageState }) {
  const [chatCollapsed, setChatCollapsed] = useState(false);
  const [theatre, setTheatre] = useState(false);
  const asideId = useId();
  useEffect(() => {
    if (!theatre) return;
    const onKey = (event: KeyboardEvent) => {
      // An open menu or dialog takes its Escape first (Radix marks it handled).
      if (event.key === 'Escape' && !event.defaultPrevented) setTheatre(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [theatre]);
  const withChat = !chatCollapsed;
  return (
    <div
      data-testid="stream-layout"
      data-theatre={theatre}
      className={cn(
        'grid gap-4',
        withChat && 'grid-cols-[1fr_22rem]',
        theatre && 'fixed inset-0 z-40 gap-2 overflow-hidden bg-background p-2',
      )}
    >
      <div className={cn('min-w-0 space-y-3', theatre && 'overflow-y-auto')}>
        {/* In theatre mode the player is as wide as the window's height lets a 16:9 picture be. */}
        <div className={cn(theatre && 'mx-auto w-full max-w-[calc((100dvh-6rem)*16/9)]')}>
          <StreamStage page={page} />
        </div>
        <StreamHeadline page={page}>
          <ShareMenu title={page.title} link={page.link} naddr={nostrAddressOf(page)} />
          <Button size="sm" variant="secondary" aria-pressed={theatre} onClick={() => setTheatre(!theatre)}>
            {theatre ? <Minimize2 className="h-4 w-4" aria-hidden /> : <Maximize2 className="h-4 w-4" aria-hidden />}
            Theatre mode
          </Button>
          <Button size="sm" variant="secondary" aria-expanded={withChat} aria-controls={asideId} onClick={() => setChatCollapsed(withChat)}>
            {withChat ? <PanelRightClose className="h-4 w-4" aria-hidden /> : <PanelRightOpen className="h-4 w-4" aria-hidden />}
            {withChat ? 'Hide chat' : 'Show chat'}
          </Button>
        </StreamHeadline>
        <HostRow page={page} />
        <StreamAbout page={page} />
      </div>
      <aside id={asideId} className={cn(!withChat && 'hidden', theatre ? 'min-h-0' : 'h-[70vh]')}>
        <StreamChat page={page} />
      </aside>
    </div>
  );
}

/** One stream's page at either size; the chat panel is mounted once, in the layout that fits the window. */
export function StreamView({ coordinate, hints }: { coordinate: Coordinate; hints: string[] }) {
  const page = useStreamPage(coordinate, hints);
  const desktop = useMediaQuery(DESKTOP_QUERY);
  const hostProfile = useProfile(page.host);
  useDocumentTitle(page.known ? page.title : undefined, page.host ? displayName(page.host, hostProfile.data) : undefined);
  return desktop ? <DesktopLayout page={page} /> : <PhoneLayout page={page} />;
}
