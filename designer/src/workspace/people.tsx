/**
 * Names, not ids, on every screen of a project (issue 10, item 3). `GET /api/projects/:id/people`
 * names everyone the project mentions, for any participant (the directory is the PMO's); a
 * streamed state that mentions someone new (a PMO who acted) fetches the names again.
 * Outside a project, the session's names (the caller, the demo users) serve.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef } from 'react';
import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useSession } from '../shell/session';

type NameOf = (userId: string) => string;
/** A known person's display name, or undefined: asks for nothing (any string may be tried). */
type Lookup = (value: string) => string | undefined;
const PeopleContext = createContext<{ nameOf: NameOf; lookup: Lookup } | undefined>(undefined);

export const peopleKey = (projectId: string) => ['people', projectId] as const;

/** Gives the screens inside it the names of the people `projectId` mentions. */
export function ProjectPeople({ projectId, children }: { projectId: string; children: ReactNode }) {
  const { api, nameOf: sessionName } = useSession();
  const people = useQuery({
    queryKey: peopleKey(projectId),
    queryFn: () => api('projectPeople', { params: { id: projectId } }),
  });
  const known = people.data?.people;
  // Ids asked for that the answer did not have: fetched again after the render, once each.
  const missing = useRef(new Set<string>());
  const asked = useRef(new Set<string>());
  const nameOf = useCallback(
    (id: string): string => {
      if (id === 'system') return 'Gatehouse';
      const person = known?.[id];
      if (person) return person.active ? person.name : `${person.name} (deactivated)`;
      const fromSession = sessionName(id);
      if (fromSession !== id) return fromSession;
      if (known && !asked.current.has(id)) missing.current.add(id);
      return known ? id : '…';
    },
    [known, sessionName],
  );
  const lookup = useCallback(
    (value: string): string | undefined => {
      const person = known?.[value];
      if (person) return person.name;
      const fromSession = sessionName(value);
      return fromSession === value ? undefined : fromSession;
    },
    [known, sessionName],
  );
  const value = useMemo(() => ({ nameOf, lookup }), [nameOf, lookup]);
  const { refetch, isFetching } = people;
  useEffect(() => {
    if (missing.current.size === 0 || isFetching) return;
    for (const id of missing.current) asked.current.add(id);
    missing.current.clear();
    void refetch();
  });
  return <PeopleContext.Provider value={value}>{children}</PeopleContext.Provider>;
}

/** A user's display name: the project's people inside a project, else the session's. */
export function useNameOf(): NameOf {
  const inProject = useContext(PeopleContext);
  const { nameOf } = useSession();
  return inProject?.nameOf ?? nameOf;
}

/**
 * A copy of `value` (audit detail, say) with every string that is a known person's id
 * replaced by their name: what a screen shows; the ids stay in exports.
 */
export function useWithNames(): (value: unknown) => unknown {
  const inProject = useContext(PeopleContext);
  const { nameOf } = useSession();
  return useCallback(
    (value: unknown) => {
      const lookup =
        inProject?.lookup ??
        ((v: string) => {
          const name = nameOf(v);
          return name === v ? undefined : name;
        });
      const walk = (v: unknown): unknown =>
        typeof v === 'string'
          ? (lookup(v) ?? v)
          : Array.isArray(v)
            ? v.map(walk)
            : v !== null && typeof v === 'object'
              ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]))
              : v;
      return walk(value);
    },
    [inProject, nameOf],
  );
}
