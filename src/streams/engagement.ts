/**
 * Chat engagement from the stream's counts: the share of viewers who wrote (0 to 1) and the
 * messages per minute of broadcast. A figure without a denominator (no viewer, no time
 * live) is absent rather than zero, so the page says "not measured" instead of a false 0.
 *
 *   engagement({ viewers: 40, chatters: 10, messages: 90, durationSeconds: 1800 })
 *   // { chatEngagement: 0.25, messagesPerMinute: 3 }
 */
export function engagement(counts: { viewers: number; chatters: number; messages: number; durationSeconds: number }): {
  chatEngagement?: number;
  messagesPerMinute?: number;
} {
  return {
    // Chatters who never played the video (chat only) would push the share past 1.
    ...(counts.viewers > 0 && { chatEngagement: round2(Math.min(1, counts.chatters / counts.viewers)) }),
    ...(counts.durationSeconds > 0 && { messagesPerMinute: round2(counts.messages / (counts.durationSeconds / 60)) }),
  };
}

const round2 = (value: number) => Math.round(value * 100) / 100;
