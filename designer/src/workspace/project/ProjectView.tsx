/**
 * One project: the template graph with the live state on it, the selected step and what is the
 * caller's to do there, hypercare and conditions when they apply; then activity, feedback and
 * benefits tabs. Kept live by the event stream.
 */
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { pendingActions } from '../../../../workflows/lifecycle/pending';
import { ApiError } from '../../api/client';
import { hrefOf, PROJECT_TABS, type ProjectTab } from '../../shell/routes';
import { useSession } from '../../shell/session';
import type { PendingAction, ProjectDetail, Template } from '../types';
import { TabLinks } from '../ui/controls';
import { useNow } from '../ui/hooks';
import { Empty, Loading, ProblemView } from '../ui/states';
import { ActivityTab } from './ActivityTab';
import { ConditionsPanel } from './ConditionsPanel';
import { FeedbackTab } from './FeedbackTab';
import { HypercarePanel } from './HypercarePanel';
import { InactiveParticipants } from './InactiveParticipants';
import { NodePanel } from './NodePanel';
import { NoticeSpot, useProjectNotices } from './notices';
import { ProjectGraph } from './ProjectGraph';
import { ProjectHeader } from './ProjectHeader';
import { ProjectPeople } from '../people';
import { useProject } from './useProject';

// Recharts is only needed on the benefits tab: load it with the tab.
const BenefitsTab = lazy(() => import('./BenefitsTab').then((m) => ({ default: m.BenefitsTab })));

export function ProjectView({ id, tab, node }: { id: string; tab: ProjectTab; node?: string }) {
  const { me } = useSession();
  const { project, template, error, stream, refresh } = useProject(id);
  const now = useNow(1000);
  const [selected, setSelected] = useState<string | undefined>(node);
  // A link to a step (a notification's): show it, and bring its panel (and the form to act
  // with) into view once the project is on screen.
  useEffect(() => setSelected(node), [node]);
  const ready = project !== undefined && template.data !== undefined;
  useEffect(() => {
    if (!ready || node === undefined || tab !== 'overview') return;
    const panel = document.querySelector<HTMLElement>('[data-testid="node-panel"]');
    panel?.scrollIntoView({ block: 'start' });
    panel?.querySelector<HTMLElement>('h2')?.focus();
  }, [ready, node, tab]);
  const notices = useProjectNotices(tab);
  const projectName = project?.name;
  useEffect(() => {
    if (projectName !== undefined) document.title = `${projectName} · Gatehouse`;
  }, [projectName]);
  const pinned = template.data?.template;
  const mine = useMemo(
    () => (project && pinned ? pendingActions(project, pinned, me.id) : []),
    [project, pinned, me.id],
  );

  if (error !== undefined && !project) {
    const status = error instanceof ApiError ? error.problem.status : undefined;
    return (
      <div className="card" data-testid="project-error">
        {status === 403 ? (
          <Empty title="This project is not open to you">
            Only its participants and the PMO can see it.
          </Empty>
        ) : status === 404 ? (
          <Empty title="No such project">It may have been removed, or the link is wrong.</Empty>
        ) : (
          <ProblemView error={error} onRetry={refresh} />
        )}
        <a href={hrefOf({ name: 'portfolio' })}>Back to the portfolio</a>
      </div>
    );
  }
  if (!project) return <Loading what="Loading the project" />;
  const onDone = (message: string) => {
    notices.say(message);
    refresh();
  };
  const labels: Record<ProjectTab, string> = {
    overview: 'Overview',
    activity: 'Activity',
    feedback: `Feedback (${project.feedback.length})`,
    benefits: 'Benefits',
  };
  const tabs = PROJECT_TABS.map((key) => ({
    key,
    label: labels[key],
    href: hrefOf({ name: 'project', id, tab: key }),
  }));

  return notices.provide(
    <ProjectPeople projectId={project.id}>
      <section
        className="page-section"
        data-testid="project-view"
        data-project-id={project.id}
        data-status={project.status}
        data-seq={project.seq}
        onSubmitCapture={notices.onSubmitCapture}
      >
        <ProjectHeader project={project} stream={stream.status} onDone={onDone} />
        {(project.status === 'active' || project.status === 'on_hold') && (
          <InactiveParticipants state={project} template={pinned} onDone={onDone} />
        )}
        <NoticeSpot region="page" />
        {stream.status === 'failed' && <ProblemView error={stream.error} />}
        <TabLinks tabs={tabs} current={tab} label="Project sections" testIdPrefix="project-tab" />
        {!pinned ? (
          template.error !== undefined && !template.loading ? (
            <ProblemView error={template.error} onRetry={template.reload} />
          ) : (
            <Loading what="Loading the template" />
          )
        ) : tab === 'overview' ? (
          <Overview
            project={project}
            template={pinned}
            now={now}

            selected={selected}
            onSelect={setSelected}
            mine={mine}
            onDone={onDone}
          />
        ) : tab === 'activity' ? (
          <ActivityTab state={project} template={pinned} />
        ) : tab === 'feedback' ? (
          <>
            <NoticeSpot region="feedback" />
            <FeedbackTab state={project} template={pinned} onDone={onDone} />
          </>
        ) : (
          <Suspense fallback={<Loading what="Loading charts" />}>
            <BenefitsTab
              state={project}
              pir={project.pir}
              template={pinned}
              now={now}
              onDone={onDone}
            />
          </Suspense>
        )}
      </section>
    </ProjectPeople>,
  );
}

type OverviewProps = {
  project: ProjectDetail;
  template: Template;
  now: number;
  selected: string | undefined;
  onSelect: (id: string) => void;
  mine: PendingAction[];
  onDone: (message: string) => void;
};

function Overview({ project, template, now, selected, onSelect, mine, onDone }: OverviewProps) {
  const focus = selected ?? project.current[0] ?? template.start;
  const node = template.nodes.find((n) => n.id === focus) ?? template.nodes[0]!;
  const hypercare = template.nodes.find(
    (n) => n.type === 'hypercare' && project.current.includes(n.id),
  );
  // Hypercare exits are signed in the hypercare panel and conditions met in theirs; the rest
  // of the caller's actions sit on the selected node.
  const onNodes = mine.filter(
    (a) => a.action !== 'accept-hypercare' && a.action !== 'meet-condition',
  );
  const here = onNodes.filter((a) => a.nodeId === node.id);
  const elsewhere = onNodes.filter((a) => a.nodeId !== node.id);
  return (
    <>
      {project.status === 'on_hold' && (
        <div className="banner banner-warn" role="status" data-testid="on-hold-banner">
          The project is <strong>on hold</strong>. A signer of the held gate or the PMO can resume
          it.
        </div>
      )}
      {elsewhere.length > 0 && (
        <div className="banner" data-testid="your-turn-banner">
          Your turn elsewhere:{' '}
          {elsewhere.map((a, i) => (
            <button key={i} type="button" className="link" onClick={() => onSelect(a.nodeId)}>
              {a.nodeName}
              {a.detail ? ` (${a.detail})` : ''}
            </button>
          ))}
        </div>
      )}
      <div className="card graph-card">
        <ProjectGraph
          template={template}
          state={project}
          now={now}
          selected={focus}
          onSelect={onSelect}
        />
        <Legend />
      </div>
      <NoticeSpot region="hypercare" />
      {hypercare?.type === 'hypercare' && (
        <HypercarePanel
          node={hypercare}
          state={project}
          template={template}
          now={now}
          onDone={onDone}
        />
      )}
      <NoticeSpot region="steps" />
      <div className="two-col" data-notice-region="steps">
        <NodePanel
          node={node}
          state={project}
          template={template}
          now={now}
          actions={here}
          pir={project.pir}
          onSelect={onSelect}
          onDone={onDone}
        />
        <ConditionsPanel state={project} template={template} now={now} onDone={onDone} />
      </div>
    </>
  );
}

function Legend() {
  return (
    <ul className="legend" aria-label="Legend">
      {(['done', 'active', 'on_hold', 'blocked', 'pending'] as const).map((s) => (
        <li key={s}>
          <span className={`legend-dot status-${s}`} aria-hidden="true" />
          {s.replace('_', ' ')}
        </li>
      ))}
    </ul>
  );
}
