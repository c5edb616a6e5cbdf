/**
 * The PMO's first run (issue 10, item 4): design a gate → publish → start → sign as an
 * approver → watch hypercare escalate, each step ticked off by what really happened
 * (`GET /api/first-run`), with what to do next and a way to do it. In the embedded default a
 * practice project (the practice template with the demo users) is one click away.
 */
import { useState, type ReactNode } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { hrefOf } from '../../shell/routes';
import { navigate } from '../../shell/navigation';
import { listVersions } from '../../editor/templates-api';
import { useSession } from '../../shell/session';
import { loadTemplateVersion } from '../cache';
import { formatCountdown, formatDateTime } from '../logic/time';
import type { FirstRunStep } from '../../../../server/contract';
import { useNow } from '../ui/hooks';
import { ProblemView } from '../ui/states';
import { practiceParticipants } from './practice';

/** While steps are open the checklist looks again this often: steps happen elsewhere too. */
const REFRESH_MS = 4_000;
const hiddenKey = (userId: string) => `gatehouse.firstRun.hidden:${userId}`;

export function FirstRun({ onStartProject }: { onStartProject: () => void }) {
  const { api, me, demoUsers } = useSession();
  const [hidden, setHidden] = useState(() => localStorage.getItem(hiddenKey(me.id)) === '1');
  const list = useQuery({
    queryKey: ['first-run'],
    queryFn: () => api('firstRun'),
    enabled: !hidden,
    refetchInterval: (query) => (query.state.data?.complete ? false : REFRESH_MS),
  });
  const practice = usePracticeProject();
  const now = useNow(10_000);
  const hide = (value: boolean) => {
    if (value) localStorage.setItem(hiddenKey(me.id), '1');
    else localStorage.removeItem(hiddenKey(me.id));
    setHidden(value);
  };
  if (hidden) {
    return (
      <p className="small muted">
        <button
          type="button"
          className="link"
          onClick={() => hide(false)}
          data-testid="first-run-show"
        >
          Show the first-run checklist
        </button>
      </p>
    );
  }
  if (!list.data) return list.isError ? <ProblemView error={list.error} /> : null;
  const { steps, complete, project } = list.data;
  const key = list.data.practice.template;
  const embedded = demoUsers.length > 0;
  const done = steps.filter((s) => s.done).length;
  const designer = hrefOf({ name: 'designer', key });
  const projectLink = project && (
    <a href={hrefOf({ name: 'project', id: project.id, tab: 'overview' })}>Open “{project.name}”</a>
  );
  const minutes = Math.round((28 * list.data.practice.secondsPerWeek) / 7 / 60);
  const text: Record<FirstRunStep, { title: string; body: ReactNode; action?: ReactNode }> = {
    design: {
      title: 'Design a gate',
      body: 'Open the practice template in the designer and change one of its gates — who signs, a criterion, its due date — or draw a gate of your own. Save the draft.',
      action: <a href={designer}>Open the practice template</a>,
    },
    publish: {
      title: 'Publish it',
      body: 'Publish the draft: projects start on a published version, and keep it while you change the template.',
      action: <a href={designer}>Open the designer</a>,
    },
    start: {
      title: 'Start a project',
      body: embedded
        ? `Start a practice project: the latest practice version, the demo users in every role, every week lasting a minute (hypercare: ${minutes} minutes).`
        : 'Start a project with the people who will sign its gates.',
      action: embedded ? (
        <button
          type="button"
          className="btn btn-small btn-primary"
          disabled={practice.isPending}
          onClick={() => practice.mutate()}
          data-testid="first-run-practice"
        >
          {practice.isPending ? 'Starting…' : 'Start a practice project'}
        </button>
      ) : (
        <button type="button" className="btn btn-small" onClick={onStartProject}>
          Start a project
        </button>
      ),
    },
    sign: {
      title: 'Sign as an approver',
      body: embedded
        ? 'Sign out and sign in as Paul Project Manager: submit the inception deliverables from his inbox and sign the gate off; then as Olga Operations Lead, sign it too.'
        : 'Have a participant sign the first gate off from their inbox (the e-mail links to it).',
      action: projectLink,
    },
    escalate: {
      title: 'Watch hypercare escalate',
      body: `Take the project through its gates to hypercare and leave its exit unsigned: when hypercare expires${embedded ? ` (after ${minutes} minutes in the practice)` : ''} it escalates to the operations manager and the project manager, and later to the steering committee.`,
      action: projectLink,
    },
  };
  return (
    <section className="card first-run" data-testid="first-run" aria-labelledby="first-run-title">
      <div className="panel-head">
        <div>
          <h2 id="first-run-title">{complete ? 'First run: all done' : 'Your first run'}</h2>
          <p className="muted small" data-testid="first-run-progress">
            {done} of {steps.length} done
            {complete && ' — you have seen Gatehouse from design to a live escalation.'}
          </p>
        </div>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => hide(true)}
          data-testid="first-run-hide"
        >
          Hide
        </button>
      </div>
      {practice.error !== null && <ProblemView error={practice.error} />}
      <ol className="first-run-steps">
        {steps.map((step) => (
          <li
            key={step.key}
            className={step.done ? 'done' : ''}
            data-testid="first-run-step"
            data-step={step.key}
            data-done={step.done ? 'true' : 'false'}
          >
            <span className="first-run-mark" aria-hidden="true">
              {step.done ? '✓' : '○'}
            </span>
            <div>
              <strong>{text[step.key].title}</strong>
              {step.done && step.at !== undefined ? (
                <span className="muted small" title={formatDateTime(step.at)}>
                  {' '}
                  · done {now - step.at < 60_000 ? 'just now' : formatCountdown(step.at, now)}
                </span>
              ) : (
                <>
                  <p className="small">{text[step.key].body}</p>
                  {text[step.key].action}
                </>
              )}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}

/**
 * Starts a practice project: the practice template's latest version, the demo users in the
 * roles they play; then opens it.
 */
export function usePracticeProject() {
  const { api, demoUsers } = useSession();
  return useMutation({
    mutationFn: async () => {
      const key = 'ops-integrated-delivery-practice';
      const latest = (await listVersions(api, key)).at(-1);
      if (!latest) throw new Error('The practice template is not published.');
      const { template } = await loadTemplateVersion(api, key, latest.version);
      const { participants, missing } = practiceParticipants(template, demoUsers);
      if (missing.length > 0) {
        throw new Error(`No demo user plays ${missing.join(', ')}: start it with “Start project”.`);
      }
      return api('startProject', {
        body: {
          // Its time said as the project's header says its start.
          name: `Practice run ${formatDateTime(Date.now())}`,
          template: key,
          version: latest.version,
          participants,
        },
      });
    },
    onSuccess: (project) => navigate({ name: 'project', id: project.id, tab: 'overview' }),
  });
}
