/**
 * The people a notification names, by name for its reader. The workflow knows people by id
 * only; it writes each person it names as a mention (`@{<id>}`) and lists their ids in the
 * notification's `people`, and whoever shows the text (the inbox's record write, the e-mail
 * and webhook channels) puts their names in. Only listed ids are replaced: a mention typed
 * into a free text (an issue's title) stays as typed. No imports: activities and db use it.
 */

/** How a notification's text names user `userId` (see {@link peopleInWords}). */
export function mention(userId: string): string {
  return `@{${userId}}`;
}

/**
 * `text` with the mention of each of `people` replaced by their name (`nameOf`; a person
 * unknown there keeps their id).
 */
export function peopleInWords(
  text: string,
  people: readonly string[] | undefined,
  nameOf: (userId: string) => string | undefined,
): string {
  let out = text;
  for (const id of people ?? []) out = out.split(mention(id)).join(nameOf(id) ?? id);
  return out;
}

/** A notification's subject and text with the people it mentions by name. */
export function withPeopleNamed<N extends { subject: string; text: string; people?: string[] }>(
  n: N,
  nameOf: (userId: string) => string | undefined,
): N {
  if (!n.people?.length) return n;
  return {
    ...n,
    subject: peopleInWords(n.subject, n.people, nameOf),
    text: peopleInWords(n.text, n.people, nameOf),
  };
}
