import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';
import { z } from 'zod';

/**
 * A bare player page for latency figures, so they measure the pipeline and not the React app:
 * hls.js from node_modules (or an RTCPeerConnection for WHEP) and one <video>. It is answered by
 * Playwright under the service's own origin (`/__latency/`), so playlists and parts are
 * same-origin (no CORS, and Resource Timing reports their sizes) and no server code changes.
 *
 *   await routeLatencyPage(context, server.url);
 *   const page = await openHlsPlayer(context, server.url, masterUrl, LL_HLS_CONFIG);
 */

/** What the web player gives hls.js (web/src/components/use-hls.ts), LL-HLS on. */
export const LL_HLS_CONFIG = { lowLatencyMode: true, maxLiveSyncPlaybackRate: 1.1, liveSyncOnStallIncrease: 0 } as const;
/** hls.js as a player that does not speak LL-HLS reads the same playlists: whole segments, default live sync. */
export const PLAIN_HLS_CONFIG = { lowLatencyMode: false } as const;

export type HlsConfig = typeof LL_HLS_CONFIG | typeof PLAIN_HLS_CONFIG;

const PAGE_PATH = '/__latency/player.html';
const HLS_PATH = '/__latency/hls.js';

const hlsScript = (): string => readFileSync(createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js'), 'utf8');

/** Page functions: strings, not functions, since the test runner's transpiler would add helpers the page lacks. */
const PAGE = `<!doctype html>
<meta charset="utf-8">
<video muted autoplay playsinline width="640" height="360"></video>
<script src="${HLS_PATH}"></script>
<script>
  const video = document.querySelector('video');
  window.startHls = (src, config) => {
    const hls = new Hls(config);
    hls.on(Hls.Events.MANIFEST_PARSED, () => video.play().catch(() => undefined));
    hls.on(Hls.Events.ERROR, (_event, data) => { if (data.fatal) window.__playerError = data.type + ': ' + data.details; });
    hls.loadSource(src);
    hls.attachMedia(video);
    window.__hls = hls;
  };
  // A WHEP player (RFC 9725): recvonly offer with every candidate in it, the answer from the 201.
  window.startWhep = async (url) => {
    const peer = new RTCPeerConnection();
    peer.addTransceiver('video', { direction: 'recvonly' });
    peer.addTransceiver('audio', { direction: 'recvonly' });
    const stream = new MediaStream();
    peer.ontrack = (event) => { stream.addTrack(event.track); video.srcObject = stream; video.play().catch(() => undefined); };
    await peer.setLocalDescription(await peer.createOffer());
    await new Promise((resolve) => {
      if (peer.iceGatheringState === 'complete') return resolve();
      peer.addEventListener('icegatheringstatechange', () => peer.iceGatheringState === 'complete' && resolve());
      setTimeout(resolve, 3000);
    });
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: peer.localDescription.sdp });
    if (response.status !== 201) throw new Error('WHEP answered ' + response.status + ': ' + await response.text());
    await peer.setRemoteDescription({ type: 'answer', sdp: await response.text() });
    window.__peer = peer;
  };
</script>`;

/** Answers the bare player page and hls.js under `origin` in every page of `context`. */
export async function routeLatencyPage(context: BrowserContext, origin: string): Promise<void> {
  const script = hlsScript();
  await context.route(`${origin}/__latency/**`, (route) =>
    new URL(route.request().url()).pathname === HLS_PATH
      ? route.fulfill({ contentType: 'text/javascript', body: script })
      : route.fulfill({ contentType: 'text/html', body: PAGE }),
  );
}

async function openBarePage(context: BrowserContext, origin: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${origin}${PAGE_PATH}`);
  await page.waitForFunction('typeof window.startHls === "function" && typeof Hls === "function"');
  return page;
}

/** The bare page playing `src` with hls.js and `config`. */
export async function openHlsPlayer(context: BrowserContext, origin: string, src: string, config: HlsConfig): Promise<Page> {
  const page = await openBarePage(context, origin);
  await page.evaluate(`window.startHls(${JSON.stringify(src)}, ${JSON.stringify(config)})`);
  return page;
}

/** The bare page playing the WHEP endpoint `url` over WebRTC (Chromium needs `--disable-features=WebRtcHideLocalIpsWithMdns`). */
export async function openWhepPlayer(context: BrowserContext, origin: string, url: string): Promise<Page> {
  const page = await openBarePage(context, origin);
  await page.evaluate(`window.startWhep(${JSON.stringify(url)})`);
  return page;
}

/** A fatal hls.js error the bare page saw, if any. */
export async function playerError(page: Page): Promise<string | undefined> {
  return z.string().optional().parse(await page.evaluate('window.__playerError'));
}
