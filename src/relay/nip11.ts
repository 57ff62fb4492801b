import { RELAY_LIMITS, type WriteLimits } from './limits.js';

export const SUPPORTED_NIPS = [1, 9, 11, 40, 42, 53];

/**
 * The NIP-11 relay information document; `limitation` is built from what the relay enforces.
 * NIP-11 has no fields for write rates and quotas, so those go in `limitation` under names
 * that say their unit (the README lists them): per minute, per hour, bytes.
 */
export function relayInformation(options: { pubkey: string; version: string; writes: WriteLimits }) {
  const { writes } = options;
  return {
    name: 'Wavlake Live relay',
    description: 'The built-in relay of a Wavlake Live service: NIP-53 live events, live chat, reactions and reports.',
    pubkey: options.pubkey,
    software: 'https://github.com/wavlake/wavlake-live',
    version: options.version,
    supported_nips: SUPPORTED_NIPS,
    limitation: {
      max_message_length: RELAY_LIMITS.maxMessageLength,
      max_subscriptions: RELAY_LIMITS.maxSubscriptions,
      max_filters: RELAY_LIMITS.maxFilters,
      max_limit: RELAY_LIMITS.maxLimit,
      default_limit: RELAY_LIMITS.maxLimit,
      max_subid_length: RELAY_LIMITS.maxSubidLength,
      max_event_tags: RELAY_LIMITS.maxEventTags,
      max_content_length: RELAY_LIMITS.maxContentLength,
      created_at_lower_limit: RELAY_LIMITS.createdAtLowerLimit,
      created_at_upper_limit: RELAY_LIMITS.createdAtUpperLimit,
      auth_required: false,
      payment_required: false,
      restricted_writes: true,
      events_per_minute_per_pubkey: writes.eventsPerPubkey,
      events_per_minute_per_address: writes.eventsPerAddress,
      chat_per_minute_per_pubkey: writes.chatPerPubkey,
      chat_per_minute_per_address: writes.chatPerAddress,
      reports_per_hour_per_target: writes.reportsPerTarget,
      max_stored_bytes_per_pubkey: writes.storagePerPubkey,
    },
  };
}
