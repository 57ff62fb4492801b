/**
 * The plan's `StreamAnalytics`. Every figure is measured: one we cannot measure (average view
 * time before anyone watched) is absent, never made up. `chatEngagement` is the share of
 * viewers who wrote in the chat (0 to 1); `chatters` how many people wrote.
 */
export interface StreamAnalytics {
  duration: number;
  peakViewers: number;
  totalViewers: number;
  averageViewTime?: number;
  chatMessages: number;
  chatEngagement?: number;
  chatters: number;
  /** Chat messages per minute of broadcast; absent before the stream went live. */
  messagesPerMinute?: number;
  qualityMetrics: {
    averageBitrate?: number;
    dropoutEvents: number;
    bufferingEvents: number;
    /** Time viewers spent buffering, summed over them, as their players reported it. */
    bufferingSeconds: number;
    /** Rendition changes the players reported (adaptive bitrate stepping up or down). */
    qualitySwitches: number;
  };
  timeline: { timestamp: number; viewers: number; chatMessages: number; bitrate?: number }[];
  /** Viewers per country (ISO 3166 alpha-2, `ZZ` for unknown), most first: looked up when each viewer session began. */
  countries: { country: string; viewers: number }[];
  /** The now-playing tracks in the order they were set, each from its Unix start second. */
  tracks: { title: string; artist: string; link: string | null; startedAt: number }[];
  /** Valid zaps (NIP-57 appendix F) to the host in this stream, counted by the service from the receipts on its relay. */
  zaps: {
    totalSats: number;
    count: number;
    /** The biggest senders, most sats first (at most 10). */
    topZappers: { pubkey: string; sats: number }[];
    /** Every zap, oldest first: when it was paid (Unix seconds), how much, who, and their comment. */
    timeline: { timestamp: number; sats: number; sender: string; comment: string }[];
  };
}

/** What anyone may see of an ended stream: its headline figures. */
export interface StreamSummary {
  duration: number;
  peakViewers: number;
  chatMessages: number;
}
