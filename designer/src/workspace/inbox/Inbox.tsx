/**
 * The approver's inbox: what is theirs to do, each with its form inline, and their
 * notifications. Both lists and their counts stay live over the inbox stream.
 */
import { useEffect, useState } from 'react';
import { hrefOf, type InboxTab, type NotificationFilter } from '../../shell/routes';
import { TabLinks } from '../ui/controls';
import { useNow } from '../ui/hooks';
import { Empty, Loading, Notice, ProblemView, StaleNotice } from '../ui/states';
import { InboxItemCard, itemKey } from './InboxItemCard';
import { Notifications } from './Notifications';
import { OutOfOffice } from './OutOfOffice';
import { todoCount, useInboxActions, useInboxLiveStatus, useInboxSummary } from './queries';

export function Inbox({ tab, filter = {} }: { tab: InboxTab; filter?: NotificationFilter }) {
  useEffect(() => {
    document.title = 'Inbox · Gatehouse';
  }, []);
  const live = useInboxLiveStatus();
  const actions = useInboxActions(live);
  const summary = useInboxSummary(live);
  const todo = todoCount(actions);
  const unread = summary.data?.unread;
  return (
    <section className="page-section" data-testid="inbox" aria-labelledby="inbox-title">
      <div className="page-head">
        <div>
          <h1 id="inbox-title">Inbox</h1>
          <p className="muted">Sign-offs, deliverables, follow-ups and feedback waiting for you.</p>
        </div>
      </div>
      <TabLinks
        label="Inbox sections"
        current={tab}
        testIdPrefix="inbox-tab"
        tabs={[
          {
            key: 'actions',
            label: todo === undefined ? 'To do' : `To do (${todo})`,
            href: hrefOf({ name: 'inbox', tab: 'actions' }),
          },
          {
            key: 'notifications',
            label: unread ? `Notifications (${unread} unread)` : 'Notifications',
            href: hrefOf({ name: 'inbox', tab: 'notifications' }),
          },
          { key: 'away', label: 'Out of office', href: hrefOf({ name: 'inbox', tab: 'away' }) },
        ]}
      />
      {tab === 'actions' ? (
        <Actions />
      ) : tab === 'away' ? (
        <OutOfOffice />
      ) : (
        <Notifications filter={filter} />
      )}
    </section>
  );
}

function Actions() {
  const live = useInboxLiveStatus();
  const inbox = useInboxActions(live);
  // Often enough that a due date turns overdue on screen within seconds of passing.
  const now = useNow(5_000);
  const [open, setOpen] = useState<string>();
  const [done, setDone] = useState<Record<string, { message: string; detail?: string }>>({});
  // The last outcome, said where the focus goes: the item's form (and soon the item) is gone.
  // Numbered: the same words again (a second review kept) are a new confirmation, focused again.
  const [said, setSaid] = useState<{ text: string; seq: number }>();
  // A fresh list is the truth: what is still listed (a KPI review recurs) can be acted on again.
  useEffect(() => setDone({}), [inbox.data]);

  if (inbox.isPending) return <Loading what="Loading your inbox" />;
  if (inbox.isError && !inbox.data)
    return <ProblemView error={inbox.error} onRetry={() => void inbox.refetch()} />;
  const items = inbox.data?.pages.flatMap((page) => page.items) ?? [];
  const notice = (
    <>
      {said && (
        <Notice key={said.seq} onClose={() => setSaid(undefined)} takeFocus>
          {said.text}
        </Notice>
      )}
      {/* The last refresh failed: what is listed (or that nothing is) may be out of date. */}
      {inbox.isError && <StaleNotice error={inbox.error} onRetry={() => void inbox.refetch()} />}
    </>
  );
  if (items.length === 0) {
    return (
      <>
        {notice}
        <Empty title="Nothing waiting for you">
          New sign-offs and tasks show up here as projects move.
        </Empty>
      </>
    );
  }
  return (
    <div>
      {notice}
      <ul className="inbox-list" data-testid="inbox-items">
        {items.map((item) => {
          const key = itemKey(item);
          // An item whose detail changed meanwhile (feedback taken on, now to close) is a new
          // step, even when the fresh list came before the answer did.
          const acted = done[key];
          return (
            <InboxItemCard
              key={key}
              item={item}
              expanded={open === key}
              onToggle={() => setOpen(open === key ? undefined : key)}
              done={acted && acted.detail === item.detail ? acted.message : undefined}
              onDone={(message) => {
                setDone((d) => ({
                  ...d,
                  [key]: { message, ...(item.detail !== undefined && { detail: item.detail }) },
                }));
                setOpen(undefined);
                setSaid((last) => ({ text: message, seq: (last?.seq ?? 0) + 1 }));
                // The stream brings the new list; asking now covers a stream that is down.
                if (!live) void inbox.refetch();
              }}
              now={now}
            />
          );
        })}
      </ul>
      {inbox.hasNextPage && (
        <button
          type="button"
          className="btn"
          onClick={() => void inbox.fetchNextPage()}
          disabled={inbox.isFetchingNextPage}
          data-testid="inbox-load-more"
        >
          {inbox.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </div>
  );
}
