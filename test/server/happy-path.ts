/**
 * Moves a project over HTTP along its template's happy path, as its participants would: each
 * node's required deliverables submitted by its owner, stages completed, gates, reviews and
 * hypercare exits signed `go` by one user per rule. Any template the built-in's shape (the
 * practice template included); the browser tests use it for the steps they do not click.
 */
import { signerRules, type Template } from '../../workflows/model';
import { fullMarks, goPrerequisites, nodeOf } from '../workflows/drive';
import type { ApiStack } from './stack';

/** Who acts for a role: a user id and their token. */
export type Cast = Record<string, { id: string; token: string }>;

async function post(api: ApiStack, token: string, path: string, body: unknown, ok = [200]) {
  const reply = await api.call('POST', path, { token, body });
  if (!ok.includes(reply.status))
    throw new Error(`${path}: HTTP ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body as { current: string[] };
}

/** What was done on the way already (in a browser, say). */
export interface Done {
  /** Nodes whose required deliverables are in. */
  delivered?: string[];
  /** Roles that signed a node already, by node id. */
  signed?: Record<string, string[]>;
}

/** From `from` (the current node) until `target` is current. */
export async function advance(
  api: ApiStack,
  cast: Cast,
  projectId: string,
  template: Template,
  from: string,
  target: string,
  done: Done = {},
): Promise<void> {
  const base = `/api/projects/${projectId}/nodes`;
  for (let nodeId = from; nodeId !== target;) {
    const node = nodeOf(template, nodeId);
    const owner = cast[node.owner ?? '']!;
    const deliverables = node.type === 'stage' || node.type === 'gate' ? node.deliverables : [];
    const owed = done.delivered?.includes(nodeId) ? [] : (deliverables ?? []);
    for (const d of owed.filter((x) => x.required)) {
      await post(api, owner.token, `${base}/${nodeId}/deliverables/${d.id}`, { text: d.name });
    }
    let next: { current: string[] } | undefined;
    if (node.type === 'stage') {
      next = await post(api, owner.token, `${base}/${nodeId}/complete`, {});
    } else {
      for (const step of goPrerequisites(template, nodeId)) {
        // Operations may have agreed the metrics already (409 already_agreed).
        const ok = step.action === 'agreeMetrics' ? [200, 409] : [200];
        const path = `/api/projects/${projectId}${step.path}`;
        await post(api, cast[step.role]!.token, path, step.body, ok);
      }
      for (const rule of signerRules(node)) {
        if (done.signed?.[nodeId]?.includes(rule.role)) continue;
        next = await post(api, cast[rule.role]!.token, `${base}/${nodeId}/signoffs`, {
          decision: 'go',
          role: rule.role,
          criteria: fullMarks(node),
        });
      }
    }
    // Everyone had signed already: the node moved on before this call.
    next ??= (await api.call('GET', `/api/projects/${projectId}`, { token: owner.token })).body as {
      current: string[];
    };
    if (next.current[0] === nodeId) throw new Error(`${nodeId} did not advance`);
    nodeId = next.current[0]!;
  }
}
