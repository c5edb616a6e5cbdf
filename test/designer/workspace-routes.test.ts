import { hrefOf, parseHash, sectionOf, type Route } from '../../designer/src/shell/routes';
import { notificationPath, notificationUrl } from '../../workflows/model/links';

describe('hash routes', () => {
  const cases: [string, Route][] = [
    ['', { name: 'portfolio' }],
    ['#/', { name: 'portfolio' }],
    [
      '#/portfolio?status=on_hold&template=ops',
      { name: 'portfolio', status: 'on_hold', template: 'ops' },
    ],
    [
      '#/portfolio?template=ops&stage=pilot&attention=over_budget&sort=stage_age',
      {
        name: 'portfolio',
        template: 'ops',
        stage: 'pilot',
        attention: 'over_budget',
        sort: 'stage_age',
      },
    ],
    ['#/portfolio?attention=hypercare', { name: 'portfolio', attention: 'hypercare' }],
    ['#/projects/abc-1', { name: 'project', id: 'abc-1', tab: 'overview' }],
    ['#/projects/abc-1/benefits', { name: 'project', id: 'abc-1', tab: 'benefits' }],
    [
      '#/projects/abc-1?node=plan-approval',
      { name: 'project', id: 'abc-1', tab: 'overview', node: 'plan-approval' },
    ],
    ['#/inbox', { name: 'inbox', tab: 'actions' }],
    ['#/inbox/notifications', { name: 'inbox', tab: 'notifications' }],
    [
      '#/inbox/notifications?project=p-1&kind=escalation&unread=true',
      {
        name: 'inbox',
        tab: 'notifications',
        filter: { project: 'p-1', kind: 'escalation', unread: true },
      },
    ],
    ['#/templates', { name: 'templates' }],
    ['#/templates/new', { name: 'designer' }],
    ['#/templates/ops/edit', { name: 'designer', key: 'ops' }],
    ['#/templates/ops/simulate?version=3', { name: 'simulation', key: 'ops', version: 3 }],
  ];

  it.each(cases)('parses %s', (hash, route) => {
    expect(parseHash(hash)).toEqual(route);
  });

  it.each(cases.filter(([hash]) => hash.startsWith('#/') && hash !== '#/'))(
    'formats back to %s',
    (hash, route) => {
      expect(hrefOf(route)).toBe(hash);
    },
  );

  it('drops unknown filter values and reports unknown paths', () => {
    expect(parseHash('#/portfolio?status=bogus')).toEqual({ name: 'portfolio' });
    // A stage is a node of a template: alone it names nothing the list can show.
    expect(parseHash('#/portfolio?stage=pilot&attention=late&sort=newest')).toEqual({
      name: 'portfolio',
    });
    expect(parseHash('#/inbox/notifications?kind=gossip&unread=yes')).toEqual({
      name: 'inbox',
      tab: 'notifications',
    });
    expect(parseHash('#/projects/a/nope')).toEqual({ name: 'not-found', path: '/projects/a/nope' });
    expect(parseHash('#/elsewhere')).toEqual({ name: 'not-found', path: '/elsewhere' });
    expect(parseHash('#/projects/%E0%A4%A')).toMatchObject({ name: 'not-found' });
  });

  it('encodes ids and names the nav section', () => {
    expect(hrefOf({ name: 'project', id: 'a/b', tab: 'activity' })).toBe(
      '#/projects/a%2Fb/activity',
    );
    expect(parseHash('#/projects/a%2Fb/activity')).toEqual({
      name: 'project',
      id: 'a/b',
      tab: 'activity',
    });
    expect(sectionOf({ name: 'project', id: 'x', tab: 'overview' })).toBe('portfolio');
    expect(sectionOf({ name: 'simulation', key: 'k' })).toBe('templates');
  });
});

describe('notification links', () => {
  const base = { projectId: 'p 1', kind: 'action-required' as const };

  it('open the step to act on, or the benefits tab for KPI reviews, in the hash router', () => {
    expect(parseHash(notificationPath({ ...base, nodeId: 'handoff' }))).toEqual({
      name: 'project',
      id: 'p 1',
      tab: 'overview',
      node: 'handoff',
    });
    expect(parseHash(notificationPath(base))).toEqual({
      name: 'project',
      id: 'p 1',
      tab: 'overview',
    });
    expect(parseHash(notificationPath({ ...base, kind: 'kpi-review', nodeId: 'kpi' }))).toEqual({
      name: 'project',
      id: 'p 1',
      tab: 'benefits',
    });
  });

  it('open the feedback tab for feedback, wherever it was posted', () => {
    expect(parseHash(notificationPath({ ...base, kind: 'feedback', nodeId: 'pilot' }))).toEqual({
      name: 'project',
      id: 'p 1',
      tab: 'feedback',
    });
  });

  it('are absolute under the public base URL', () => {
    expect(notificationUrl('https://gh.example.com/', { ...base, nodeId: 'pir' })).toBe(
      'https://gh.example.com/#/projects/p%201?node=pir',
    );
  });
});
