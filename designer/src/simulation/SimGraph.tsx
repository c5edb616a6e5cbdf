/**
 * The template graph of a simulation: the current node highlighted, finished and visited nodes
 * marked, edges the project followed drawn bold. Read-only, with its own React Flow instance.
 */
import { useMemo } from 'react';
import type { Edge } from '@xyflow/react';
import { toCanvas } from '../logic/canvas';
import { nodeFacts } from '../logic/facts';
import { nodeStatuses, takenEdges, type SimSession } from '../logic/simulation';
import { positionsOf, presentEdge } from '../editor/edge-view';
import type { CardNode } from '../editor/nodes';
import { ReadOnlyGraph } from '../editor/ReadOnlyGraph';

export function SimGraph({ session }: { session: SimSession }) {
  const template = session.machine.template;
  const canvas = useMemo(() => toCanvas(template), [template]);
  const statuses = useMemo(() => nodeStatuses(session), [session]);
  const taken = useMemo(() => takenEdges(session), [session]);
  const cards = useMemo(
    (): CardNode[] =>
      canvas.nodes.map((n) => ({
        ...n,
        draggable: false,
        data: {
          ...n.data,
          sim: statuses[n.id] ?? 'pending',
          facts: nodeFacts(n.data.node, template.roles),
        },
      })),
    [canvas, statuses, template.roles],
  );
  const edges = useMemo((): Edge[] => {
    const at = positionsOf(canvas.nodes);
    return canvas.edges.map((e) => {
      const followed = taken.has(`${e.source}~${e.target}`) ? ' sim-taken' : '';
      return {
        ...presentEdge(e, at, `gh-edge out-${e.data.on}${followed}`),
        animated: statuses[e.source] === 'current',
      };
    });
  }, [canvas, taken, statuses]);

  const { current } = session.machine.state;
  return (
    <ReadOnlyGraph
      cards={cards}
      edges={edges}
      fitSignal={template}
      focus={current[0] ?? template.start}
    />
  );
}
