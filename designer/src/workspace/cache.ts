/**
 * Published template versions are immutable: each is fetched once per page load and shared by
 * the portfolio, the project view, the inbox forms and the start dialog — through TanStack
 * Query in components, through the same promise where code needs one. Failed fetches are
 * forgotten.
 */
import { useQuery } from '@tanstack/react-query';
import type { Api } from '../api/client';
import type { TemplateVersion } from './types';
import type { Loaded } from './ui/hooks';

const versions = new Map<string, Promise<TemplateVersion>>();

export function loadTemplateVersion(
  api: Api,
  key: string,
  version: number,
): Promise<TemplateVersion> {
  const id = `${key}@${version}`;
  let pending = versions.get(id);
  if (!pending) {
    pending = api('getVersion', { params: { key, n: version } });
    void pending.catch(() => versions.delete(id));
    versions.set(id, pending);
  }
  return pending;
}

export function useTemplateVersion(
  api: Api,
  key: string | undefined,
  version: number | undefined,
): Loaded<TemplateVersion> {
  const query = useQuery({
    queryKey: ['template-version', key, version],
    queryFn: () => loadTemplateVersion(api, key!, version!),
    enabled: key !== undefined && version !== undefined,
    staleTime: Infinity,
  });
  return {
    data: query.data,
    error: query.error ?? undefined,
    loading: query.isPending,
    reload: () => void query.refetch(),
  };
}
