/**
 * The one place the shell gets the template designer and the simulation from
 * (designer/src/editor and designer/src/simulation, built alongside the workspace). Both are
 * loaded on demand: approvers and operations rarely open them, and they carry their own code.
 */
import { lazy } from 'react';

export type { TemplateDesignerProps } from '../editor';
export type { SimulationProps } from '../simulation';

export const TemplateDesigner = lazy(() =>
  import('../editor').then((m) => ({ default: m.TemplateDesigner })),
);

export const Simulation = lazy(() =>
  import('../simulation').then((m) => ({ default: m.Simulation })),
);
