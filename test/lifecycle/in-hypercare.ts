/**
 * The mini lifecycle driven into hypercare on the pure interpreter, as the hypercare tests need
 * it: the plan's runbook submitted and the plan completed, the approval's charter submitted and
 * the approval signed go by pat, olga and omar.
 */
import { Simulator } from '../../workflows/lifecycle/simulation';
import type { Participants, Template } from '../../workflows/model';
import { jointParticipants, jointTemplate } from '../fixtures/joint-hypercare';
import { unitProject } from '../fixtures/unit-project';

/** What the approval's signers answer to its criteria: enough for a go. */
const approveCriteria = { 'support-ready': true, training: 8, comms: 5 };

export function inHypercare(
  template: Template = jointTemplate(),
  participants: Participants = jointParticipants,
): Simulator {
  const sim = new Simulator(template, { participants, ...unitProject });
  sim.must('pat', { type: 'deliverable', nodeId: 'plan', deliverableId: 'runbook', text: 'v1' });
  sim.must('pat', { type: 'complete', nodeId: 'plan' });
  sim.must('olga', {
    type: 'deliverable',
    nodeId: 'approval',
    deliverableId: 'charter',
    text: 'c',
  });
  for (const user of ['pat', 'olga', 'omar']) {
    sim.must(user, {
      type: 'signoff',
      nodeId: 'approval',
      decision: 'go',
      criteria: approveCriteria,
    });
  }
  expect(sim.state.current).toEqual(['hypercare']);
  return sim;
}
