/**
 * Published template versions are immutable: each is fetched once per page load and shared by
 * the portfolio, the project view and the inbox forms. Failed fetches are forgotten.
 */
import type { Api } from '../api/client';
import type { TemplateVersion } from './types';
import { useLoad, type Loaded } from './ui/hooks';

const versions = new Map<string, Promise<TemplateVersion>>();

export function loadTemplateVersion(
  api: Api,
  key: string,
  version: number,
): Promise<TemplateVersion> {
  const id = `${key}@${version}`;
  let pending = versions.get(id);
  if (!pending) {
    pending = api<TemplateVersion>('getVersion', { params: { key, n: version } });
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
  return useLoad(
    () =>
      key === undefined || version === undefined
        ? Promise.reject(new Error('no template chosen'))
        : loadTemplateVersion(api, key, version),
    [key, version],
  );
}
