/** Now, in the Unix seconds Nostr events and the API's times are counted in. */
export function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}
