/**
 * The top navigation: sections, the number of things waiting in the inbox and of unread
 * notifications (live over the inbox stream), the user menu.
 */
import { useEffect, useRef, useState, type MouseEvent } from 'react';
import {
  todoCount,
  useInboxActions,
  useInboxLiveStatus,
  useInboxSummary,
} from '../workspace/inbox/queries';
import { hrefOf, sectionOf, type Route } from './routes';
import { useSession } from './session';
import { GateMark, initials } from './SignIn';

export function Nav({ route }: { route: Route }) {
  const section = sectionOf(route);
  const live = useInboxLiveStatus();
  const actions = useInboxActions(live);
  const summary = useInboxSummary(live);
  const count = todoCount(actions) ?? '0';
  const unread = summary.data?.unread ?? 0;
  const link = (key: 'portfolio' | 'inbox' | 'templates', href: string, label: string) => (
    <a
      href={href}
      className={section === key ? 'nav-link current' : 'nav-link'}
      aria-current={section === key ? 'page' : undefined}
      data-testid={`nav-${key}`}
    >
      {label}
      {key === 'inbox' && count !== '0' && (
        <span className="count" data-testid="nav-inbox-count" aria-label={`${count} waiting`}>
          {count}
        </span>
      )}
      {key === 'inbox' && unread > 0 && (
        <span
          className="count count-unread"
          data-testid="nav-unread-count"
          aria-label={`${unread} unread notification${unread === 1 ? '' : 's'}`}
          title={`${unread} unread notification${unread === 1 ? '' : 's'}`}
        >
          <span aria-hidden="true">✉ </span>
          {unread}
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
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: globalThis.MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent) {
        if (e.key !== 'Escape') return;
        setOpen(false);
        // The focus was in the menu, which is gone: back to the button that opened it.
        if (ref.current?.contains(document.activeElement)) button.current?.focus();
      } else if (!ref.current?.contains(e.target as Node)) {
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
        ref={button}
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
