/**
 * A relay's refusal in words for people: NIP-01 starts each with a machine prefix
 * (`rate-limited: wait 3 s`), which the relay's own sentence follows; the prefix becomes a
 * lead-in people understand, and any ISO-8601 instant in it (a time-out's end) is shown in
 * the reader's local time.
 *
 *   readableRefusal('rate-limited: you are sending messages too fast; wait 3 s')
 *   // 'Slow down: you are sending messages too fast; wait 3 s.'
 */
const LEAD_INS: Readonly<Record<string, string>> = {
  'rate-limited': 'Slow down',
  blocked: 'Not allowed',
  restricted: 'Not allowed here',
  invalid: 'The relay could not accept this message',
  pow: 'The relay asks for proof of work',
  duplicate: 'Already sent',
  error: 'The relay failed to save this; try again',
  'auth-required': 'Sign in first',
};
/** What the relay's detail says on its own, with no lead-in needed. */
const SELF_EXPLAINING = /^you\b/i;
const PREFIX = /^([a-z-]+):\s*/;
const ISO_INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g;

export function readableRefusal(reason: string, now = new Date()): string {
  const match = PREFIX.exec(reason);
  const lead = match ? LEAD_INS[match[1] ?? ''] : undefined;
  const detail = localTimes((lead && match ? reason.slice(match[0].length) : reason).trim(), now);
  if (!lead) return sentence(detail);
  if (detail === '') return `${lead}.`;
  return SELF_EXPLAINING.test(detail) && lead === LEAD_INS.blocked ? sentence(detail) : `${lead}: ${sentence(detail, false)}`;
}

function sentence(text: string, capital = true): string {
  const body = capital ? text.charAt(0).toUpperCase() + text.slice(1) : text;
  return /[.!?…]$/.test(body) ? body : `${body}.`;
}

/** Today's instants as a time of day; other days with their date too. */
function localTimes(text: string, now: Date): string {
  return text.replace(ISO_INSTANT, (instant) => {
    const at = new Date(instant);
    if (Number.isNaN(at.getTime())) return instant;
    const sameDay = at.toDateString() === now.toDateString();
    return sameDay ? at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : at.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
  });
}
