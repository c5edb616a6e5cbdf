/**
 * The mini lifecycle driven on the pure interpreter to its approval gate and through it into
 * hypercare, as the lifecycle tests need it: the plan's runbook submitted and the plan completed,
 * the approval's charter submitted and the approval signed go by pat, olga and omar. The joint
 * hypercare is the default; the mini template and its participants work alike.
 */
import { Simulator, type SimCommand } from '../../workflows/lifecycle/simulation';
import type { Participants, Template } from '../../workflows/model';
import { jointParticipants, jointTemplate } from '../fixtures/joint-hypercare';
import { unitProject } from '../fixtures/unit-project';

/** What the approval's signers answer to its criteria: enough for a go. */
export const approveCriteria = { 'support-ready': true, training: 8, comms: 5 };

/** A go on the approval gate, its criteria answered enough for it. */
export const approvalGo: SimCommand = {
  type: 'signoff',
  nodeId: 'approval',
  decision: 'go',
  criteria: approveCriteria,
};

/** Through the plan stage to the approval gate, the approval's charter in. */
export function toApproval(sim: Simulator): void {
  sim.must('pat', { type: 'deliverable', nodeId: 'plan', deliverableId: 'runbook', text: 'v1' });
  sim.must('pat', { type: 'complete', nodeId: 'plan' });
  sim.must('olga', {
    type: 'deliverable',
    nodeId: 'approval',
    deliverableId: 'charter',
    text: 'c',
  });
}

/** The approval's three signers (pm pat, ops olga and omar) each say go. */
export function passApproval(sim: Simulator): void {
  for (const user of ['pat', 'olga', 'omar']) {
    sim.must(user, approvalGo);
  }
}

/** A new project at the approval gate, its deliverables in. */
export function atApproval(
  template: Template = jointTemplate(),
  participants: Participants = jointParticipants,
): Simulator {
  const sim = new Simulator(template, { participants, ...unitProject });
  toApproval(sim);
  return sim;
}

/** A new project past the approval gate, in hypercare. */
export function inHypercare(
  template: Template = jointTemplate(),
  participants: Participants = jointParticipants,
): Simulator {
  const sim = atApproval(template, participants);
  passApproval(sim);
  expect(sim.state.current).toEqual(['hypercare']);
  return sim;
}
