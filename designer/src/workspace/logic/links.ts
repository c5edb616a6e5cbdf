/** Links people submitted (deliverable URLs) are shown as links only when they are http(s). */
export function safeHref(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    // Not a URL at all: shown as text.
    return undefined;
  }
}
