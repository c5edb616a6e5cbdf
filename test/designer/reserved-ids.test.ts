/**
 * Reserved ids in the designer (SPEC §2): its live validation, its import and its simulation
 * check templates with `validateNewTemplate`, as the API and the CLI do, and the problems list
 * puts a reserved id's error on its node. `validateTemplate` alone is workflow code's.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { opsIntegratedDelivery, validateNewTemplate } from '../../workflows/model';
import { describePath, errorCounts, locate } from '../../designer/src/logic/problems';

const ROOT = path.resolve(__dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

const IMPORTS_WORKFLOW_CHECK =
  /import\s*{[^}]*\bvalidateTemplate\b[^}]*}\s*from\s*'[^']*model[^']*'/;

describe('reserved ids in the designer', () => {
  it('every check for people or publishing goes through validateNewTemplate', () => {
    const files = ['designer/src', 'server', 'cli'].flatMap(sources);
    const using = (name: string) =>
      files.filter((f) => readFileSync(path.join(ROOT, f), 'utf8').includes(name));
    const checking = using('validateNewTemplate');
    expect(
      files.filter((f) => IMPORTS_WORKFLOW_CHECK.test(readFileSync(path.join(ROOT, f), 'utf8'))),
    ).toEqual([]);
    expect(checking).toEqual(
      expect.arrayContaining([
        'designer/src/logic/validation.ts',
        'designer/src/editor/ImportDialog.tsx',
        'designer/src/simulation/Simulation.tsx',
        'server/impact/jobs.ts',
        'server/routes/templates.ts',
        'cli/commands/template.ts',
      ]),
    );
  });

  it('shows a reserved node id on its node, where the problems list points', () => {
    const template = structuredClone(opsIntegratedDelivery);
    const index = template.nodes.findIndex((n) => n.type === 'gate');
    const gate = template.nodes[index]!;
    if (gate.type !== 'gate') throw new Error('no gate');
    gate.deliverables = [{ id: 'constructor', name: 'Constructor', required: true }];
    const { valid, errors } = validateNewTemplate(template);
    expect(valid).toBe(false);
    const [error] = errors;
    expect(error).toMatchObject({
      path: ['nodes', index, 'deliverables', 0, 'id'],
      code: 'reserved_id',
    });
    expect(locate(template, error!)).toEqual({ kind: 'node', id: gate.id, index });
    expect(errorCounts(template, errors).nodes.get(gate.id)).toBe(1);
    expect(describePath(template, error!.path)).toBe(`node "${gate.id}" › deliverables › 0 › id`);
  });
});
