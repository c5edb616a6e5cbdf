/**
 * The designer bench's baseline: bare React Flow (default nodes, no custom cards, no editor
 * state, no validation) showing the same template the designer gets from the same draft
 * route, and an "Auto layout" button running the designer's own ELK layout function. Plain
 * `createElement`: the bench is compiled with the Node project's settings, which have no JSX.
 */
import '@xyflow/react/dist/style.css';
import { createElement as h, useCallback } from 'react';
import { createRoot } from 'react-dom/client';
import {
  ReactFlow,
  ReactFlowProvider,
  useEdgesState,
  useNodesState,
  useReactFlow,
  type Edge,
  type Node,
} from '@xyflow/react';
import type { TemplateDraft } from '../../db/records';
import type { Template } from '../../workflows/model';
import { layoutInWebWorker } from '../../designer/src/logic/elk-worker';
import { layoutPositions } from '../../designer/src/logic/layout';

// Laid out as the designer does it: ELK in a Web Worker.
layoutInWebWorker();

// The Node project's typings have no DOM: the little used of it is declared here.
declare const document: { getElementById(id: string): Element | null };
declare const location: { search: string };

function Graph({ template }: { template: Template }) {
  const [nodes, setNodes, onNodesChange] = useNodesState<Node>(
    template.nodes.map((n) => ({
      id: n.id,
      position: template.layout?.[n.id] ?? { x: 0, y: 0 },
      data: { label: n.name },
    })),
  );
  const [edges, , onEdgesChange] = useEdgesState<Edge>(
    template.edges.map((e) => ({
      id: `${e.from}~${e.on}`,
      source: e.from,
      target: e.to,
      label: e.on,
    })),
  );
  const { getNodes } = useReactFlow();
  const layout = useCallback(async () => {
    const sizes = Object.fromEntries(
      getNodes().flatMap((n) =>
        n.measured?.width && n.measured.height
          ? [[n.id, { width: n.measured.width, height: n.measured.height }]]
          : [],
      ),
    );
    const positions = await layoutPositions(template, sizes);
    setNodes((current) => current.map((n) => ({ ...n, position: positions[n.id] ?? n.position })));
  }, [getNodes, setNodes, template]);

  return h(
    'div',
    { style: { width: '100%', height: '100%' } },
    h(
      'button',
      {
        type: 'button',
        'data-testid': 'auto-layout',
        style: { position: 'absolute', zIndex: 10, margin: 8 },
        onClick: () => void layout(),
      },
      'Auto layout',
    ),
    h(ReactFlow, { nodes, edges, onNodesChange, onEdgesChange, fitView: true, minZoom: 0.2 }),
  );
}

const key = new URLSearchParams(location.search).get('key') ?? '';
fetch(`/api/templates/${encodeURIComponent(key)}/draft`)
  .then((response) => response.json() as Promise<TemplateDraft>)
  .then((draft) => {
    const template = draft.body as Template;
    createRoot(document.getElementById('root')!).render(
      h(ReactFlowProvider, null, h(Graph, { template })),
    );
  })
  .catch((error: unknown) => console.error('baseline: could not load the template', error));
