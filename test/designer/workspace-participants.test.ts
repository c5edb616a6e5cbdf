/**
 * Who holds which part of a running project, as the reassign form and the deactivated banner
 * read it: the live state says who holds what, the project's people who can still act.
 */
import { holders, holdersOf } from '../../designer/src/workspace/logic/participants';

const people = [
  { userId: 'dana', name: 'Dana', roles: ['ops-lead', 'support'], active: false },
  { userId: 'ada', name: 'Ada', roles: ['pm'], active: true },
  { userId: 'zed', name: 'Zed', roles: ['support'], active: false },
];
const nameOf = (id: string) => `name of ${id}`;

describe('holders', () => {
  it('lists the deactivated first, each with the roles the state gives them', () => {
    const all = holders({ pm: ['ada'], 'ops-lead': ['dana'], support: ['dana'] }, people, nameOf);
    expect(all).toEqual([
      { userId: 'dana', name: 'Dana', active: false, roles: ['ops-lead', 'support'] },
      { userId: 'ada', name: 'Ada', active: true, roles: ['pm'] },
    ]);
    expect(holdersOf(all, 'support').map((h) => h.userId)).toEqual(['dana']);
  });

  it('follows the state: a part reassigned is gone though the people list still has it', () => {
    const all = holders({ pm: ['ada'], support: ['ravi'] }, people, nameOf);
    expect(all.filter((h) => !h.active)).toEqual([]);
    // Someone the people list does not have yet counts as active, named as the page knows them.
    expect(all.find((h) => h.userId === 'ravi')).toEqual({
      userId: 'ravi',
      name: 'name of ravi',
      active: true,
      roles: ['support'],
    });
  });
});
