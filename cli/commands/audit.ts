/**
 * `gatehouse audit verify [project]`: re-computes the audit hash chains and names the first
 * broken entry of each trail (every project's and the admin trail when no project is given).
 */
import { auditedProjects, verifyAdminTrail, verifyProjectTrail, type TrailReport } from '../../db';
import { withDatabase } from '../database';
import { CliError } from '../errors';

export async function verify(project: string | undefined): Promise<void> {
  const reports = await withDatabase(async (db) => {
    if (project !== undefined) return [await verifyProjectTrail(db, project)];
    const all: TrailReport[] = [];
    for (const id of await auditedProjects(db)) all.push(await verifyProjectTrail(db, id));
    all.push(await verifyAdminTrail(db));
    return all;
  });
  if (project !== undefined && reports[0]!.entries === 0 && !reports[0]!.broken) {
    throw new CliError(`project ${project} has no audit trail`);
  }
  for (const { trail, entries, superseded, broken } of reports) {
    const name = trail === 'admin' ? 'admin trail' : `project ${trail}`;
    const aside = superseded ? `, ${superseded} superseded by a newer attempt` : '';
    if (broken) console.log(`broken: ${name}: entry ${broken.seq}: ${broken.reason}`);
    else console.log(`ok: ${name} (${entries} ${entries === 1 ? 'entry' : 'entries'}${aside})`);
  }
  const broken = reports.filter((r) => r.broken);
  if (broken.length > 0) {
    throw new CliError(
      `${broken.length} audit ${broken.length === 1 ? 'trail is' : 'trails are'} broken: ` +
        broken.map((r) => `${r.trail} at entry ${r.broken!.seq}`).join(', '),
    );
  }
}
