/** A template node on the project graph, with its live overlay (status, tallies, deliverables). */
import { Handle, Position, type Node as FlowNode, type NodeProps } from '@xyflow/react';
import type { Node } from '../../../../workflows/model';
import type { NodeOverlay } from '../logic/overlay';
import { formatCountdown } from '../logic/time';
import { NODE_STATUS_LABELS } from '../ui/badges';

export const NODE_TYPE_LABELS: Record<Node['type'], string> = {
  stage: 'Stage',
  gate: 'Gate',
  hypercare: 'Hypercare',
  review: 'PIR',
  monitor: 'Monitor',
  notify: 'Notify',
  end: 'End',
};

export type OverlayFlowNode = FlowNode<
  { node: Node; overlay: NodeOverlay; now: number },
  'overlay'
>;

export function GraphNode({ data, selected }: NodeProps<OverlayFlowNode>) {
  const { node, overlay: o, now } = data;
  return (
    <div
      className={`gnode gnode-${node.type} status-${o.status}${o.current ? ' is-current' : ''}${selected ? ' is-selected' : ''}`}
      data-testid="graph-node"
      data-node-id={node.id}
      data-type={node.type}
      data-status={o.status}
      data-current={o.current}
      data-overdue={o.overdue || undefined}
      title={node.description}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="gnode-head">
        <span className="gnode-type">{NODE_TYPE_LABELS[node.type]}</span>
        <span className={`gnode-status status-${o.status}`}>
          {NODE_STATUS_LABELS[o.status]}
          {o.status === 'done' &&
            o.outcome &&
            o.outcome !== 'done' &&
            o.outcome !== 'go' &&
            ` · ${o.outcome}`}
        </span>
      </div>
      <div className="gnode-name">{node.name}</div>
      {o.tallies.length > 0 && (o.current || o.visits > 0) && (
        <ul className="gnode-tallies">
          {o.tallies.map((t) => (
            <li
              key={t.role}
              className={t.met ? 'met' : ''}
              title={`${t.roleName}: ${t.go} of ${t.min} go`}
              data-testid="node-tally"
              data-role={t.role}
              data-go={t.go}
              data-min={t.min}
            >
              {t.label}
            </li>
          ))}
        </ul>
      )}
      {o.deliverables && (o.current || o.visits > 0) && (
        <div
          className="gnode-line"
          data-testid="node-deliverables"
          data-submitted={o.deliverables.submitted}
          data-total={o.deliverables.total}
        >
          deliverables {o.deliverables.submitted}/{o.deliverables.total}
        </div>
      )}
      {o.hypercare && o.current && (
        <div className="gnode-line" data-testid="node-hypercare">
          {o.hypercare.phase === 'running'
            ? `expires ${formatCountdown(o.hypercare.expiresAt, now)}`
            : 'awaiting exit sign-off'}
        </div>
      )}
      {o.openIssues > 0 && (
        <div className={o.blockingIssues > 0 ? 'gnode-line bad' : 'gnode-line'}>
          {o.openIssues} open issue{o.openIssues === 1 ? '' : 's'}
          {o.blockingIssues > 0 && ` · ${o.blockingIssues} blocking`}
        </div>
      )}
      {o.overdue && <div className="gnode-line bad">overdue</div>}
      {o.visits > 1 && <div className="gnode-visits">visit {o.visits}</div>}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}
