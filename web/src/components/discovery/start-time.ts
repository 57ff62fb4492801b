/** Days between two moments' local calendar dates (0: same day, 1: `later` is the next day). */
function calendarDaysBetween(earlier: Date, later: Date): number {
  const midnight = (date: Date) => new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
  // Rounded: a day with a daylight-saving change is 23 or 25 hours long.
  return Math.round((midnight(later) - midnight(earlier)) / 86_400_000);
}

const capitalized = (text: string) => text.charAt(0).toLocaleUpperCase() + text.slice(1);

/**
 * When a planned stream starts, in the viewer's language and time zone: "Today 20:00",
 * "Tomorrow 18:30", "Sat 20:00" within the week, else the date ("12 Dec, 18:30").
 *
 *   formatStartTime(event.starts, new Date(), navigator.language)
 */
export function formatStartTime(starts: number, now: Date, locale?: string): string {
  const start = new Date(starts * 1000);
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(start);
  const days = calendarDaysBetween(now, start);
  if (days === 0 || days === 1 || days === -1) {
    // "today", "tomorrow", "yesterday" in the viewer's own words.
    return `${capitalized(new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(days, 'day'))} ${time}`;
  }
  if (days > 1 && days < 7) return `${new Intl.DateTimeFormat(locale, { weekday: 'short' }).format(start)} ${time}`;
  const sameYear = start.getFullYear() === now.getFullYear();
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }), hour: '2-digit', minute: '2-digit' }).format(start);
}
