/**
 * Unsaved designer work is not dropped without asking: while `unsaved`, closing or reloading
 * the tab asks the browser's own "leave site?" question, and following a link out of the
 * designer (the navigation, a breadcrumb), Back, Forward or an address typed ask first and
 * stay when the answer is no (the address and the history as they were). The designer keeps
 * its edits in memory only, so leaving without this loses them.
 */
import { useEffect } from 'react';
import { guardLeaving, navigate } from '../shell/navigation';
import { parseHash } from '../shell/routes';

const LEAVE_QUESTION = 'The template has unsaved changes. Leave the designer and lose them?';

export function useLeaveGuard(unsaved: boolean): void {
  useEffect(() => {
    if (!unsaved) return;
    const ask = () => window.confirm(LEAVE_QUESTION);
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers ask only when a return value is set (its text is not shown).
      event.returnValue = '';
    };
    // Capture: decided before the link's own handling moves the hash.
    const onClick = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0) return;
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
      if (!(link instanceof HTMLAnchorElement) || link.target === '_blank') return;
      const to = new URL(link.href, window.location.href);
      const here = new URL(window.location.href);
      // A link within the page (same path and hash) or to a download leaves nothing.
      if (link.hasAttribute('download')) return;
      const samePage = to.origin === here.origin && to.pathname === here.pathname;
      if (samePage && to.hash === here.hash) return;
      if (samePage && to.search === here.search) {
        // Another route of the app: asked here, so the history gains no entry on a no; on a
        // yes the app moves itself (the route's own leave question is then not asked again).
        event.preventDefault();
        if (ask()) navigate(parseHash(to.hash));
        return;
      }
      if (!ask()) event.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('click', onClick, true);
    const release = guardLeaving(ask);
    return () => {
      release();
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('click', onClick, true);
    };
  }, [unsaved]);
}
