/** The approver's inbox: what is theirs to do, each with its form inline; and notifications. */
import { useEffect, useState } from 'react';
import { hrefOf, type InboxTab } from '../../shell/routes';
import { useSession } from '../../shell/session';
import type { PendingAction } from '../types';
import { TabLinks } from '../ui/controls';
import { useLoad, useNow } from '../ui/hooks';
import { Empty, Loading, ProblemView } from '../ui/states';
import { InboxItemCard, itemKey } from './InboxItemCard';
import { Notifications } from './Notifications';

/** The read model lags an action by a moment: look again shortly after acting. */
const RELOAD_AFTER_ACTION_MS = 1200;

export function Inbox({ tab }: { tab: InboxTab }) {
  useEffect(() => {
    document.title = 'Inbox · Gatehouse';
  }, []);
  return (
    <section className="page-section" data-testid="inbox" aria-labelledby="inbox-title">
      <div className="page-head">
        <div>
          <h1 id="inbox-title">Inbox</h1>
          <p className="muted">Sign-offs, deliverables and follow-ups waiting for you.</p>
        </div>
      </div>
      <TabLinks
        label="Inbox sections"
        current={tab}
        testIdPrefix="inbox-tab"
        tabs={[
          { key: 'actions', label: 'To do', href: hrefOf({ name: 'inbox', tab: 'actions' }) },
          {
            key: 'notifications',
            label: 'Notifications',
            href: hrefOf({ name: 'inbox', tab: 'notifications' }),
          },
        ]}
      />
      {tab === 'actions' ? <Actions /> : <Notifications />}
    </section>
  );
}

function Actions() {
  const { api } = useSession();
  const now = useNow(30_000);
  const inbox = useLoad(() => api<{ items: PendingAction[] }>('inbox'), []);
  const [open, setOpen] = useState<string>();
  const [done, setDone] = useState<Record<string, string>>({});
  const { reload } = inbox;
  useEffect(() => {
    if (Object.keys(done).length === 0) return;
    const timer = setTimeout(reload, RELOAD_AFTER_ACTION_MS);
    return () => clearTimeout(timer);
  }, [done, reload]);
  // A fresh list is the truth: what is still listed (a KPI review recurs) can be acted on again.
  useEffect(() => setDone({}), [inbox.data]);

  if (inbox.loading && !inbox.data) return <Loading what="Loading your inbox" />;
  if (inbox.error !== undefined && !inbox.data)
    return <ProblemView error={inbox.error} onRetry={inbox.reload} />;
  const items = inbox.data?.items ?? [];
  if (items.length === 0) {
    return (
      <Empty title="Nothing waiting for you">
        New sign-offs and tasks show up here as projects move.
      </Empty>
    );
  }
  return (
    <ul className="inbox-list" data-testid="inbox-items">
      {items.map((item) => {
        const key = itemKey(item);
        return (
          <InboxItemCard
            key={key}
            item={item}
            expanded={open === key}
            onToggle={() => setOpen(open === key ? undefined : key)}
            done={done[key]}
            onDone={(message) => {
              setDone((d) => ({ ...d, [key]: message }));
              setOpen(undefined);
            }}
            now={now}
          />
        );
      })}
    </ul>
  );
}
