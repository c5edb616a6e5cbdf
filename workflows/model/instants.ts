/**
 * The moments a notification names, in words for its reader. The workflow writes each one (a
 * due date, an expiry) as an ISO 8601 UTC instant, `2026-12-06T02:02:28.536Z`: exact, and the
 * same in every recorded history. The channels put them in words when they show the text: e-mail
 * and webhooks in UTC ("Sun 6 Dec 2026, 02:02 UTC"), the web app in its reader's time zone. It
 * lives in the model (no imports) because the designer bundles it and activities use it.
 */

/** An ISO 8601 instant in UTC as `toISOString` writes it, milliseconds and seconds optional. */
const INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?Z(?!\w)/g;

/** `text` with every UTC instant in it replaced by what `inWords` makes of it. */
export function instantsInWords(text: string, inWords: (at: number) => string): string {
  return text.replace(INSTANT, (iso) => {
    const at = Date.parse(iso);
    return Number.isNaN(at) ? iso : inWords(at);
  });
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/**
 * A moment for a reader whose time zone is unknown (e-mail, a chat channel): "Sun 6 Dec 2026,
 * 02:02 UTC". Spelled out here rather than by `Intl`, so it reads the same on every host.
 */
export function utcInWords(at: number): string {
  const d = new Date(at);
  return (
    `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`
  );
}
