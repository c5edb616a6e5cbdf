/**
 * The one place the shell gets the template designer and the simulation from
 * (designer/src/editor and designer/src/simulation, built alongside the workspace). Both are
 * loaded on demand: approvers and operations rarely open them, and they carry their own code.
 */
import { createElement, use, type ComponentType } from 'react';
import type { TemplateDesignerProps } from '../editor';
import type { SimulationProps } from '../simulation';

export type { TemplateDesignerProps, SimulationProps };

/**
 * Stylesheets that failed to load. (A failed `<link>` still has an empty `sheet`: only its
 * `error` event, which does not bubble, tells.)
 */
const failedStyles = new Set<HTMLLinkElement>();
document.addEventListener(
  'error',
  (event) => {
    const link = event.target;
    if (link instanceof HTMLLinkElement && link.rel === 'stylesheet') failedStyles.add(link);
  },
  true,
);

/**
 * Requests each failed stylesheet again: Vite's loader asks for a screen's stylesheet once per
 * page, so a failed one would leave the retried screen unstyled. Settles once they have loaded
 * (rejects if one fails again).
 */
function reloadFailedStyles(): Promise<unknown> {
  const failed = Array.from(failedStyles);
  failedStyles.clear();
  return Promise.all(
    failed.map(
      (old) =>
        new Promise((resolve, reject) => {
          const link = old.cloneNode() as HTMLLinkElement;
          link.addEventListener('load', resolve);
          link.addEventListener('error', () => reject(new Error(`${link.href} failed to load`)));
          old.replaceWith(link);
        }),
    ),
  );
}

/** A failure to load a screen's code; `retry()` lets its next render load it again. */
export class ScreenLoadError extends Error {
  constructor(
    message: string,
    readonly retry: () => void,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * A screen whose code is loaded when it is first shown, and loaded again after a failure (the
 * server unreachable for a moment, a deployment since the page was opened) once the error
 * boundary has shown it (it calls `retry()`): React's `lazy` keeps a failed import for good, so
 * "Try again" could not help and only a reload would. The error says so in words.
 */
function onDemand<P extends object>(
  what: string,
  load: () => Promise<ComponentType<P>>,
): ComponentType<P> {
  let loading: Promise<ComponentType<P>> | undefined;
  let retrying = false;
  const retry = () => {
    loading = undefined;
    retrying = true;
  };
  const loaded = () =>
    (loading ??= (retrying ? reloadFailedStyles() : Promise.resolve())
      .then(load)
      .catch((cause: unknown) => {
        throw new ScreenLoadError(
          `${what} could not be loaded: the server cannot be reached, or Gatehouse was updated ` +
            'since this page was opened. Try again, or reload the page.',
          retry,
          { cause },
        );
      }));
  return function OnDemand(props: P) {
    return createElement(use(loaded()), props);
  };
}

export const TemplateDesigner = onDemand('The template designer', () =>
  import('../editor').then((m) => m.TemplateDesigner),
);

export const Simulation = onDemand('The simulation', () =>
  import('../simulation').then((m) => m.Simulation),
);
