/**
 * The props that tie an inspector field to one key of a node: its path is the key, its value
 * is read from the node and a change is written back through `edit`. The forms say which
 * fields a node type has; how a field reads and writes its key is said here once.
 */
import { withField } from '../../logic/edit';
import type { OnChange } from './lists';

/** The keys of N that always hold a V. */
type KeyOf<N, V> = {
  [K in keyof N]-?: undefined extends N[K] ? never : N[K] extends V ? K : never;
}[keyof N] &
  string;

/** The keys of N that may be left out and hold a V when set. */
type OptionalKeyOf<N, V> = {
  [K in keyof N]-?: undefined extends N[K] ? (NonNullable<N[K]> extends V ? K : never) : never;
}[keyof N] &
  string;

/**
 * Optional keys are removed when emptied ('', an empty list, an unticked box), never stored
 * empty: the template leaves an unset field out. Fields typed into (text, numbers) pass their
 * key as the merge key, so a word typed is one undo step; a tick or a pick is a step of its own.
 * List editors pass the merge key of the item field they changed.
 */
export function bindNode<N extends object>(node: N, edit: OnChange<N>) {
  // The key's type was checked against the field's where it is named (KeyOf, OptionalKeyOf);
  // TypeScript cannot carry that into this generic write, hence the one cast.
  const set = (key: keyof N, value: unknown, mergeKey?: string) =>
    edit(withField(node, key, value as N[keyof N] | undefined), mergeKey);
  return {
    text: <K extends KeyOf<N, string>>(key: K) => ({
      rel: [key],
      value: node[key],
      onChange: (v: string) => set(key, v, key),
    }),
    optionalText: <K extends OptionalKeyOf<N, string>>(key: K) => ({
      rel: [key],
      value: node[key] ?? '',
      onChange: (v: string) => set(key, v || undefined, key),
    }),
    number: <K extends OptionalKeyOf<N, number>>(key: K) => ({
      rel: [key],
      value: node[key],
      onChange: (v: number | undefined) => set(key, v, key),
    }),
    flag: <K extends OptionalKeyOf<N, boolean>>(key: K) => ({
      rel: [key],
      value: node[key] === true,
      onChange: (on: boolean) => set(key, on || undefined),
    }),
    /** A set of values picked from check boxes (roles, metrics). */
    checks: <K extends KeyOf<N, readonly string[]>>(key: K) => ({
      rel: [key],
      value: node[key],
      onChange: (v: string[]) => set(key, v),
    }),
    optionalChecks: <K extends OptionalKeyOf<N, readonly string[]>>(key: K) => ({
      rel: [key],
      value: node[key] ?? [],
      onChange: (v: string[]) => set(key, v.length ? v : undefined),
    }),
    /** The items of a list editor (deliverables, criteria, issue clocks). */
    items: <K extends KeyOf<N, readonly unknown[]>>(key: K) => ({
      rel: [key],
      items: node[key],
      onChange: (v: readonly unknown[], mergeKey?: string) => set(key, v, mergeKey),
    }),
    optionalItems: <K extends OptionalKeyOf<N, readonly unknown[]>>(key: K) => ({
      rel: [key],
      items: node[key] ?? [],
      onChange: (v: readonly unknown[], mergeKey?: string) =>
        set(key, v.length ? v : undefined, mergeKey),
    }),
  };
}
