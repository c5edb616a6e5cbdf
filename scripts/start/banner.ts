/** What `npm start` prints once everything answers: where to go, who to be, how to stop. */
import path from 'node:path';
import type { DemoUser } from '../../server/contract';

export interface BannerInfo {
  appUrl: string;
  /** False when designer/dist is missing: the API answers, the UI is not built. */
  designer: boolean;
  temporalUiUrl: string;
  temporalAddress: string;
  temporalPid: number | undefined;
  temporalLog: string | undefined;
  dataDir: string;
  /** A token created now (shown once), or why none is shown. */
  admin: { token: string } | { kept: 'earlier-start' | 'environment' };
  demoUsers: DemoUser[];
  demoTokensFile: string;
}

/** The last line of the banner: printed only when everything is up (tests wait for it). */
export const READY_LINE = 'Stop with Ctrl-C';

export function banner(info: BannerInfo): string {
  // Relative to where `npm start` ran when inside it (./data), else absolute.
  const shown = (file: string) => {
    const relative = path.relative(process.cwd(), file);
    const outside = relative.split(path.sep)[0] === '..' || path.isAbsolute(relative);
    return relative === '' ? '.' : outside ? file : `.${path.sep}${relative}`;
  };
  const server = [
    info.temporalPid !== undefined && `dev server pid ${info.temporalPid}`,
    info.temporalLog && `log ${shown(info.temporalLog)}`,
  ].filter(Boolean);
  const admin =
    'token' in info.admin
      ? `${info.admin.token}  (shown once: keep it)`
      : info.admin.kept === 'environment'
        ? '(from GATEHOUSE_ADMIN_TOKEN)'
        : '(created on an earlier start; not shown again)';
  const idWidth = Math.max(...info.demoUsers.map((u) => u.id.length), 2);
  const nameWidth = Math.max(...info.demoUsers.map((u) => u.name.length), 4);
  const roleWidth = Math.max(...info.demoUsers.map((u) => u.roles.join(',').length), 5);
  const rule = '─'.repeat(78);
  return [
    rule,
    `  Gatehouse is running: the embedded default, data in ${shown(info.dataDir)}`,
    '',
    `    App & API       ${info.appUrl}${info.designer ? '' : '  (designer not built: API only)'}`,
    `    Temporal UI     ${info.temporalUiUrl}`,
    `    Temporal gRPC   ${info.temporalAddress}${server.length ? `  (${server.join(', ')})` : ''}`,
    '',
    `    Admin token     ${admin}`,
    '',
    ...(info.demoUsers.length === 0
      ? ['  Demo users: off (GATEHOUSE_DEMO=0)']
      : [`  Demo users (Authorization: Bearer <token>; kept in ${shown(info.demoTokensFile)}):`]),
    ...info.demoUsers.map(
      (u) =>
        `    ${u.id.padEnd(idWidth)}  ${u.name.padEnd(nameWidth)}  ` +
        `${u.roles.join(',').padEnd(roleWidth)}  ${u.token}`,
    ),
    '',
    `  ${READY_LINE} (projects are kept; delete ${shown(info.dataDir)} to start afresh).`,
    rule,
  ].join('\n');
}
