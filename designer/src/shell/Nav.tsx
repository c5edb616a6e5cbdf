/** The top navigation: sections, the number of things waiting in the inbox, the user menu. */
import { useEffect, useRef, useState, type MouseEvent } from 'react';
import type { PendingAction } from '../workspace/types';
import { CHANGED_EVENT, useLoad } from '../workspace/ui/hooks';
import { hrefOf, sectionOf, type Route } from './routes';
import { useSession } from './session';
import { GateMark, initials } from './SignIn';

const INBOX_REFRESH_MS = 60_000;

export function Nav({ route }: { route: Route }) {
  const { api } = useSession();
  const section = sectionOf(route);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const again = () => setTick((t) => t + 1);
    const timer = setInterval(again, INBOX_REFRESH_MS);
    // After an action the read model needs a moment before the inbox reflects it.
    const changed = () => setTimeout(again, 1500);
    window.addEventListener(CHANGED_EVENT, changed);
    return () => {
      clearInterval(timer);
      window.removeEventListener(CHANGED_EVENT, changed);
    };
  }, []);
  // Refreshed on every navigation too: acting on an item usually ends on another screen.
  const inbox = useLoad(() => api<{ items: PendingAction[] }>('inbox'), [hrefOf(route), tick]);
  const count = inbox.data?.items.length ?? 0;
  const link = (key: 'portfolio' | 'inbox' | 'templates', href: string, label: string) => (
    <a
      href={href}
      className={section === key ? 'nav-link current' : 'nav-link'}
      aria-current={section === key ? 'page' : undefined}
      data-testid={`nav-${key}`}
    >
      {label}
      {key === 'inbox' && count > 0 && (
        <span className="count" data-testid="nav-inbox-count" aria-label={`${count} waiting`}>
          {count}
        </span>
      )}
    </a>
  );
  return (
    <header className="topbar ws">
      <a className="skip-link" href="#main" onClick={skipToMain}>
        Skip to content
      </a>
      <a className="brand" href={hrefOf({ name: 'portfolio' })}>
        <GateMark /> <span className="brand-text">Gatehouse</span>
      </a>
      <nav aria-label="Main" className="nav" data-testid="nav">
        {link('portfolio', hrefOf({ name: 'portfolio' }), 'Portfolio')}
        {link('inbox', hrefOf({ name: 'inbox', tab: 'actions' }), 'Inbox')}
        {link('templates', hrefOf({ name: 'templates' }), 'Templates')}
      </nav>
      <UserMenu />
    </header>
  );
}

/** The hash is the router: the skip link moves focus instead of navigating. */
function skipToMain(e: MouseEvent) {
  e.preventDefault();
  document.getElementById('main')?.focus();
}

function UserMenu() {
  const { me, signOut } = useSession();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: globalThis.MouseEvent | KeyboardEvent) => {
      if (
        e instanceof KeyboardEvent ? e.key === 'Escape' : !ref.current?.contains(e.target as Node)
      ) {
        setOpen(false);
      }
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);
  const flags = [me.admin && 'Admin', me.pmo && 'PMO'].filter(Boolean);
  return (
    <div className="user-menu" ref={ref} data-testid="user-menu">
      <button
        type="button"
        className="user-button"
        aria-haspopup="true"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        data-testid="user-menu-button"
      >
        <span className="avatar" aria-hidden="true">
          {initials(me.name)}
        </span>
        <span className="user-name">{me.name}</span>
      </button>
      {open && (
        <div className="menu" role="menu">
          <div className="menu-head">
            <strong data-testid="user-menu-name">{me.name}</strong>
            <span className="muted">{me.email}</span>
            <span className="muted small">
              id <code>{me.id}</code>
              {flags.length > 0 && ` · ${flags.join(' · ')}`}
            </span>
          </div>
          <button type="button" role="menuitem" onClick={signOut} data-testid="sign-out">
            Sign out
          </button>
        </div>
      )}
    </div>
  );
}
