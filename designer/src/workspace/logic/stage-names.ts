/**
 * A stage chip counts a node's open projects of every version they pin, under the name the
 * latest version gives it: the names an older version gives it, which its projects show in
 * their rows, are said beside it, so a renamed node is still recognised. Pure.
 */
import type { PortfolioStage } from '../types';

/** A name the node has in some pinned versions besides the chip's own, and those versions. */
export interface OtherName {
  name: string;
  versions: number[];
}

/** The node's other names in the versions its open projects pin, oldest version first. */
export function otherNames(stage: Pick<PortfolioStage, 'name' | 'versions'>): OtherName[] {
  const names = new Map<string, number[]>();
  for (const { version, name } of stage.versions) {
    if (name !== stage.name) names.set(name, [...(names.get(name) ?? []), version]);
  }
  return [...names].map(([name, versions]) => ({ name, versions }));
}

/** "“Pilot” in v1, v2; “Trial” in v3": what the chip says beside its name. */
export function otherNamesText(others: OtherName[]): string {
  return others
    .map(({ name, versions }) => `“${name}” in ${versions.map((v) => `v${v}`).join(', ')}`)
    .join('; ');
}
