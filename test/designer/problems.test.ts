/** Locating validation errors on nodes, edges and fields. */
import { opsIntegratedDelivery, validateTemplate, type Template } from '../../workflows/model';
import {
  describePath,
  errorCounts,
  errorIndex,
  focusCandidates,
  fromServerPath,
  locate,
  mergeProblems,
  publishRefusedText,
} from '../../designer/src/logic/problems';

function broken(): Template {
  return {
    ...opsIntegratedDelivery,
    nodes: opsIntegratedDelivery.nodes.map((n) =>
      n.id === 'pilot' && n.type === 'stage' ? { ...n, sla: { due: 'P0D' } } : n,
    ),
    edges: [...opsIntegratedDelivery.edges, { from: 'completed', to: 'pilot', on: 'done' }],
  };
}

describe('problem locations', () => {
  it('maps errors to nodes and edges and counts them', () => {
    const t = broken();
    const { errors } = validateTemplate(t);
    const due = errors.find((e) => e.path.join('.') === 'nodes.3.sla.due')!;
    expect(locate(t, due)).toEqual({ kind: 'node', id: 'pilot', index: 3 });
    const counts = errorCounts(t, errors);
    expect(counts.nodes.get('pilot')).toBe(1);
    expect(describePath(t, due.path)).toBe('node "pilot" › sla › due');
    expect(errorIndex(errors).get('nodes.3.sla.due')).toHaveLength(1);
  });

  it('locates edge errors on the edge and template errors on the template', () => {
    const t = broken();
    const edgeError = { path: ['edges', 16], nodeId: 'completed' };
    expect(locate(t, edgeError)).toEqual({ kind: 'edge', id: 'completed~done', index: 16 });
    expect(errorCounts(t, [edgeError]).edges.get('completed~done')).toBe(1);
    expect(locate(t, { path: ['roles', 0, 'key'] })).toEqual({ kind: 'template' });
    expect(locate(t, { path: ['nodes', 99], nodeId: 'hypercare' })).toMatchObject({
      kind: 'node',
      id: 'hypercare',
    });
  });

  it("strips the server's draft prefix and lists focus targets from the most specific", () => {
    expect(fromServerPath(['draft', 'nodes', 1, 'name'])).toEqual(['nodes', 1, 'name']);
    expect(focusCandidates(['nodes', 1, 'sla', 'due'])).toEqual([
      'f-nodes.1.sla.due',
      'f-nodes.1.sla',
      'f-nodes.1',
      'f-nodes',
    ]);
  });
});

describe('the problems list', () => {
  const own = [
    { path: ['start'], message: 'required', code: 'invalid_format' },
    { path: ['nodes'], message: 'a template needs at least one node', code: 'too_small' },
  ];

  it("shows a refused publish's errors only where the designer's own do not say them", () => {
    const server = [
      { path: ['nodes'], message: 'a template needs at least one node', code: 'too_small' },
      { path: ['start'], message: 'required', code: 'invalid_format' },
      { path: ['key'], message: 'already published by someone else', code: 'conflict' },
    ];
    expect(mergeProblems(own, server)).toEqual({ own, serverOnly: [server[2]] });
    expect(mergeProblems(own)).toEqual({ own, serverOnly: [] });
  });

  it('keeps one of each path and message, in order', () => {
    const twice = [own[0]!, own[1]!, { ...own[0]!, code: 'other' }];
    expect(mergeProblems(twice, [own[1]!, own[1]!])).toEqual({ own, serverOnly: [] });
    const sameText = { path: ['nodes', 0, 'id'], message: 'required', code: 'invalid_format' };
    expect(mergeProblems([...own, sameText]).own).toHaveLength(3);
  });

  it("counts in a refused publish's notice what the list shows, each problem once", () => {
    const conflict = { path: ['key'], message: 'already published', code: 'conflict' };
    // The server's answer repeats a problem; the designer's own list holds one it lacks.
    const server = [own[1]!, own[1]!, own[1]!, conflict];
    const listed = mergeProblems(own, server);
    expect(listed.own.length + listed.serverOnly.length).toBe(3);
    expect(publishRefusedText(own, server)).toBe(
      'Publish refused: 3 problem(s), listed under Problems.',
    );
    expect(publishRefusedText([], [own[0]!, own[0]!])).toBe(
      'Publish refused: 1 problem(s), listed under Problems.',
    );
  });
});
