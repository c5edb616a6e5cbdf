/**
 * A portfolio of real mini projects standing in different places, for impact analysis: at the
 * plan stage, on hold at the approval gate, in hypercare, in monitoring, and in monitoring
 * after continue-as-new. Three ops participants, so a raised ops quorum can be staffed.
 */
import { signoffUpdate, submitDeliverableUpdate } from '../../workflows/messages';
import type { Participants, Template } from '../../workflows/model';
import { miniTemplate } from '../fixtures/mini-template';
import { completeStage, passGate } from './drive';
import type { Project, Projects } from './harness';

export const portfolioParticipants: Participants = {
  pm: ['pat'],
  ops: ['olga', 'omar', 'oona'],
  steering: ['sam'],
};

/** Mini, with hypercare long enough not to expire during a test and quick monitor reviews. */
export const portfolioTemplate: Template = {
  ...miniTemplate,
  nodes: miniTemplate.nodes.map((n) =>
    n.type === 'hypercare'
      ? { ...n, duration: 'PT1H' }
      : n.type === 'monitor'
        ? { ...n, every: 'PT2S' }
        : n,
  ),
};

export type Place = 'plan' | 'on-hold' | 'hypercare' | 'monitor' | 'continued';
export const PLACES: readonly Place[] = ['plan', 'on-hold', 'hypercare', 'monitor', 'continued'];

/** Starts one project and drives it to `place`. */
export async function projectAt(projects: Projects, place: Place): Promise<Project> {
  const template = portfolioTemplate;
  const participants = portfolioParticipants;
  const project = await projects.start(template, participants, {
    name: `impact ${place}`,
    ...(place === 'continued' ? { reviewsPerRun: 1 } : { reviewsPerRun: 1000 }),
  });
  if (place === 'plan') return project;
  await completeStage(project, template, 'plan', 'pat');
  if (place === 'on-hold') {
    await project.act(submitDeliverableUpdate, {
      actor: { userId: 'pat' },
      nodeId: 'approval',
      deliverableId: 'charter',
      text: 'charter',
    });
    await project.act(signoffUpdate, {
      actor: { userId: 'olga' },
      nodeId: 'approval',
      decision: 'hold',
      comment: 'budget review first',
    });
    return project;
  }
  await passGate(project, template, 'approval', participants);
  if (place === 'hypercare') return project;
  await passGate(project, template, 'hypercare', participants);
  await passGate(project, template, 'pir', participants);
  if (place === 'continued') {
    const { runId } = await project.handle.describe();
    for (let i = 0; i < 100; i++) {
      if ((await project.handle.describe()).runId !== runId) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return project;
}
