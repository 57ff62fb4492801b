/** An amount as the zap screens write it: "2,100 sats" (grouped the same in every locale, as the tests read it). */
export const formatSats = (sats: number): string => `${sats.toLocaleString('en-US')} sats`;
