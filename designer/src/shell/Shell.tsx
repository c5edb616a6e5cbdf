/**
 * The signed-in app: top navigation and the screen of the current hash route, over one
 * TanStack Query cache kept live by the caller's inbox stream.
 */
import { Suspense, useState } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { InboxLive, useInboxLive } from '../workspace/inbox/queries';
import { Inbox, Portfolio, ProjectView } from '../workspace';
import { Loading } from '../workspace/ui/states';
import { ErrorBoundary } from './ErrorBoundary';
import { Nav } from './Nav';
import { navigate, useRoute } from './navigation';
import { hrefOf, type Route } from './routes';
import { Simulation, TemplateDesigner } from './screens';
import { useSession } from './session';
import { Templates } from './Templates';

export function Shell() {
  // One cache per signed-in session: signing out unmounts the shell, and the cache with it.
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: { queries: { retry: 1, staleTime: 5_000 } },
      }),
  );
  return (
    <QueryClientProvider client={client}>
      <LiveShell />
    </QueryClientProvider>
  );
}

function LiveShell() {
  const route = useRoute();
  const inbox = useInboxLive();
  return (
    <InboxLive.Provider value={inbox}>
      <Frame route={route} />
    </InboxLive.Provider>
  );
}

function Frame({ route }: { route: Route }) {
  return (
    <div className="app">
      <Nav route={route} />
      <main
        id="main"
        // `ws`: the workspace's element styles; the designer and the simulation keep their own.
        className={
          route.name === 'designer' || route.name === 'simulation' ? 'page page-wide' : 'page ws'
        }
        tabIndex={-1}
      >
        <ErrorBoundary resetKey={hrefOf(route)}>
          <Suspense fallback={<Loading />}>
            <Screen route={route} />
          </Suspense>
        </ErrorBoundary>
      </main>
    </div>
  );
}

function Screen({ route }: { route: Route }) {
  const { api, me } = useSession();
  switch (route.name) {
    case 'portfolio':
      return <Portfolio view={route} />;
    case 'project':
      return (
        <ProjectView
          key={route.id}
          id={route.id}
          tab={route.tab}
          {...(route.node !== undefined && { node: route.node })}
        />
      );
    case 'inbox':
      return <Inbox tab={route.tab} {...(route.filter && { filter: route.filter })} />;
    case 'templates':
      return <Templates />;
    case 'designer':
      return (
        <div className="screen-fill">
          {/* Unkeyed: it loads another template itself, and stays as it is when the route
              follows a new template's first save (onSavedAs). */}
          <TemplateDesigner
            api={api}
            // Templates are the PMO's to design; everyone else looks at published versions.
            readOnly={!me.pmo}
            {...(route.key !== undefined && { templateKey: route.key })}
            onSavedAs={(key) => navigate({ name: 'designer', key }, { replace: true })}
            onOpenSimulation={(templateKey, version) =>
              navigate({
                name: 'simulation',
                key: templateKey,
                ...(version !== undefined && { version }),
              })
            }
          />
        </div>
      );
    case 'simulation':
      return (
        <div className="screen-fill">
          <Simulation
            key={`${route.key}@${route.version ?? 'draft'}`}
            api={api}
            templateKey={route.key}
            {...(route.version !== undefined && { version: route.version })}
          />
        </div>
      );
    case 'not-found':
      return (
        <div className="card">
          {/* Empty's look, with the page's main heading. */}
          <div className="state state-empty" data-testid="empty">
            <h1>Page not found</h1>
            <div className="muted">
              Nothing lives at <code>#{route.path}</code>.{' '}
              <a href={hrefOf({ name: 'portfolio' })}>Go to the portfolio</a>.
            </div>
          </div>
        </div>
      );
  }
}
