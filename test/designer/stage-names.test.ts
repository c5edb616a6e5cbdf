/**
 * What a stage chip says beside its name: the names the older versions its open projects pin
 * give its node, each with those versions, so a renamed node is recognised by either name.
 */
import { otherNames, otherNamesText } from '../../designer/src/workspace/logic/stage-names';

const counts = { active: 1, onHold: 0 };

it('names the versions that call the node otherwise, oldest first', () => {
  const stage = {
    name: 'Launch decision',
    versions: [
      { version: 1, name: 'Go-live', ...counts },
      { version: 2, name: 'Go/no-go', ...counts },
      { version: 3, name: 'Go-live', ...counts },
      { version: 4, name: 'Launch decision', ...counts },
    ],
  };
  expect(otherNames(stage)).toEqual([
    { name: 'Go-live', versions: [1, 3] },
    { name: 'Go/no-go', versions: [2] },
  ]);
  expect(otherNamesText(otherNames(stage))).toBe('“Go-live” in v1, v3; “Go/no-go” in v2');
});

it('says nothing when every pinned version names the node alike', () => {
  const stage = {
    name: 'Pilot',
    versions: [1, 2].map((version) => ({ version, name: 'Pilot', ...counts })),
  };
  expect(otherNames(stage)).toEqual([]);
  expect(otherNamesText([])).toBe('');
});
