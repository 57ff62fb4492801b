/** The Nostr event kinds this product reads and writes, named for what they carry. */
export const KIND = {
  metadata: 0,
  /** NIP-02 follow list: one `p` tag per followed pubkey. */
  contacts: 3,
  deletion: 5,
  reaction: 7,
  muteList: 10_000,
  /** NIP-65 relay list: where a user writes (and reads) their own events. */
  relayList: 10_002,
  /** NIP-53 room presence: "I am here", naming one live event or room by its `a` tag; replaceable, so one room at a time. */
  presence: 10_312,
  report: 1984,
  liveChat: 1311,
  liveEvent: 30311,
  /** NIP-89 handler information: the service names the web URLs that open a live event. */
  handlerInformation: 31990,
  /** Host moderation of a live chat (the NIP-29 moderation kinds, addressed with `a`). */
  chatUnban: 9000,
  chatBan: 9001,
  chatRemoval: 9005,
  httpAuth: 27235,
  /** NIP-57: the payer's signed request, carried to the LNURL server and back in the receipt. */
  zapRequest: 9734,
  /** NIP-57: the LNURL server's proof that an invoice for a zap request was paid. */
  zapReceipt: 9735,
  /** NIP-75 fundraising goal a live event points at with its `goal` tag. */
  zapGoal: 9041,
} as const;
