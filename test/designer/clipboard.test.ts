/** Copy/paste: fresh ids, internal edges remapped, external edges dropped, offset positions. */
import { opsIntegratedDelivery, validateTemplate } from '../../workflows/model';
import { copyNodes, pasteClip } from '../../designer/src/logic/clipboard';

describe('copy and paste', () => {
  const ids = ['pilot', 'pilot-review'];

  it('copies the nodes, the edges among them and their positions', () => {
    const clip = copyNodes(opsIntegratedDelivery, ids)!;
    expect(clip.nodes.map((n) => n.id)).toEqual(ids);
    expect(clip.edges).toEqual([
      { from: 'pilot', on: 'done', to: 'pilot-review' },
      { from: 'pilot-review', on: 'recycle', to: 'pilot' },
    ]);
    expect(Object.keys(clip.layout)).toEqual(ids);
    expect(copyNodes(opsIntegratedDelivery, ['nope'])).toBeUndefined();
  });

  it('pastes with new ids, remapped internal edges and offset positions', () => {
    const clip = copyNodes(opsIntegratedDelivery, ids)!;
    const { template, ids: pasted } = pasteClip(opsIntegratedDelivery, clip, { x: 40, y: 60 });
    expect(pasted).toEqual(['pilot-copy', 'pilot-review-copy']);
    expect(template.nodes).toHaveLength(opsIntegratedDelivery.nodes.length + 2);
    expect(template.edges.slice(-2)).toEqual([
      { from: 'pilot-copy', on: 'done', to: 'pilot-review-copy' },
      { from: 'pilot-review-copy', on: 'recycle', to: 'pilot-copy' },
    ]);
    const at = opsIntegratedDelivery.layout!.pilot!;
    expect(template.layout!['pilot-copy']).toEqual({ x: at.x + 40, y: at.y + 60 });
    expect(template.nodes.find((n) => n.id === 'pilot-copy')).toMatchObject({
      type: 'stage',
      name: 'Pilot',
    });
    // The original is untouched and the copy's ids are all distinct.
    expect(opsIntegratedDelivery.nodes).toHaveLength(11);
    const all = template.nodes.map((n) => n.id);
    expect(new Set(all).size).toBe(all.length);
    expect(validateTemplate(template).errors.some((e) => e.code === 'duplicate_id')).toBe(false);
  });

  it('keeps ids unique when the same clip is pasted again', () => {
    const clip = copyNodes(opsIntegratedDelivery, ['pilot'])!;
    const once = pasteClip(opsIntegratedDelivery, clip);
    const twice = pasteClip(once.template, clip);
    const thrice = pasteClip(twice.template, copyNodes(twice.template, ['pilot-copy'])!);
    expect([once.ids, twice.ids, thrice.ids]).toEqual([
      ['pilot-copy'],
      ['pilot-copy-2'],
      ['pilot-copy-3'],
    ]);
  });
});
