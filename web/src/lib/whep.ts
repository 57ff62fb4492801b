/**
 * Real-time playback over WebRTC (WHEP, RFC 9725) from the stream's `whep_url`. The player
 * falls back to LL-HLS on WhepUnavailable: `full` (the stream's real-time places are taken),
 * `failed` (no connection, e.g. UDP blocked, or no media in time), `unsupported` (no WebRTC).
 *
 *   try {
 *     const realtime = await startWhep(view.whep_url, { signal });
 *     video.srcObject = realtime.stream;   // …later: await realtime.close()
 *   } catch (error) { if (error instanceof WhepUnavailable) playHls(); }
 */
export class WhepUnavailable extends Error {
  constructor(
    readonly reason: 'full' | 'failed' | 'unsupported',
    message: string,
  ) {
    super(message);
    this.name = 'WhepUnavailable';
  }
}

export interface WhepPlayback {
  readonly stream: MediaStream;
  close(): Promise<void>;
}

/** Media must flow within this, or the player is better off on LL-HLS. */
const MEDIA_DEADLINE_MS = 5_000;
/** Host candidates are gathered at once; past this the offer goes with what it has. */
const GATHERING_LIMIT_MS = 1_000;
const STATS_EVERY_MS = 100;

/** Negotiates a WHEP session; resolves once media flows (first video frame or audio), else throws WhepUnavailable within ~5 s. */
export async function startWhep(url: string, options: { signal?: AbortSignal } = {}): Promise<WhepPlayback> {
  if (typeof RTCPeerConnection === 'undefined') throw new WhepUnavailable('unsupported', 'This browser has no WebRTC.');
  const deadline = Date.now() + MEDIA_DEADLINE_MS;
  const peer = new RTCPeerConnection();
  const stream = new MediaStream();
  peer.addEventListener('track', (event) => stream.addTrack(event.track));
  peer.addTransceiver('video', { direction: 'recvonly' });
  peer.addTransceiver('audio', { direction: 'recvonly' });
  let session: string | undefined;
  const close = async () => {
    peer.close();
    if (session) await fetch(session, { method: 'DELETE' }).catch(() => undefined);
  };
  try {
    await peer.setLocalDescription(await peer.createOffer());
    await gatheringComplete(peer);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/sdp' },
      body: peer.localDescription?.sdp ?? '',
      // A server that never answers must not hold the player off LL-HLS past the deadline.
      signal: withDeadline(options.signal, deadline - Date.now()),
    });
    if (response.status !== 201) throw await refusal(response);
    const location = response.headers.get('Location');
    if (location) session = new URL(location, url).href;
    await peer.setRemoteDescription({ type: 'answer', sdp: await response.text() });
    await mediaFlowing(peer, deadline, options.signal);
    return { stream, close };
  } catch (error) {
    await close();
    if (error instanceof WhepUnavailable || options.signal?.aborted) throw error;
    if (error instanceof DOMException && error.name === 'TimeoutError') throw new WhepUnavailable('failed', 'The real-time server did not answer within 5 seconds.');
    throw new WhepUnavailable('failed', `Real-time playback could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function withDeadline(signal: AbortSignal | undefined, ms: number): AbortSignal {
  const timeout = AbortSignal.timeout(Math.max(0, ms));
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

async function refusal(response: Response): Promise<WhepUnavailable> {
  const body: unknown = await response.json().catch(() => undefined);
  const { error, message } = typeof body === 'object' && body !== null ? (body as { error?: unknown; message?: unknown }) : {};
  const text = typeof message === 'string' ? message : `The server answered ${response.status}.`;
  return new WhepUnavailable(response.status === 503 && error === 'realtime_full' ? 'full' : 'failed', text);
}

function gatheringComplete(peer: RTCPeerConnection): Promise<void> {
  if (peer.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      peer.removeEventListener('icegatheringstatechange', check);
      resolve();
    };
    const check = () => {
      if (peer.iceGatheringState === 'complete') done();
    };
    const timer = setTimeout(done, GATHERING_LIMIT_MS);
    peer.addEventListener('icegatheringstatechange', check);
  });
}

/** A decoded video frame, or audio samples, per the receiver's own statistics. */
async function mediaFlowing(peer: RTCPeerConnection, deadline: number, signal: AbortSignal | undefined): Promise<void> {
  for (;;) {
    signal?.throwIfAborted();
    if (peer.connectionState === 'failed') throw new WhepUnavailable('failed', 'The real-time connection failed (UDP may be blocked on this network).');
    let flowing = false;
    (await peer.getStats()).forEach((report: { type?: string; kind?: string; framesDecoded?: number; totalSamplesReceived?: number }) => {
      if (report.type !== 'inbound-rtp') return;
      if ((report.kind === 'video' && (report.framesDecoded ?? 0) > 0) || (report.kind === 'audio' && (report.totalSamplesReceived ?? 0) > 0)) flowing = true;
    });
    if (flowing) return;
    if (Date.now() > deadline) throw new WhepUnavailable('failed', 'No real-time media arrived within 5 seconds.');
    await new Promise((resolve) => setTimeout(resolve, STATS_EVERY_MS));
  }
}
