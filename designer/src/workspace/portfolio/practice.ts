/**
 * The practice project of the embedded default (issue 10, item 4): the practice template's
 * latest version started with the demo users, each in the roles they play. Pure: who goes
 * where, and which roles nobody plays.
 */
import type { DemoUser } from '../../../../server/contract';
import type { Participants, Template } from '../../../../workflows/model';

export function practiceParticipants(
  template: Template,
  demoUsers: readonly DemoUser[],
): { participants: Participants; missing: string[] } {
  const participants: Participants = {};
  const missing: string[] = [];
  for (const role of template.roles) {
    const players = demoUsers.filter((u) => u.roles.includes(role.key)).map((u) => u.id);
    if (players.length > 0) participants[role.key] = players;
    else missing.push(role.name);
  }
  return { participants, missing };
}
