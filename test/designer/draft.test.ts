/** Drafts and imports: any JSON becomes an editable template, or a reason why not. */
import { opsIntegratedDelivery, validateTemplate } from '../../workflows/model';
import { coerceTemplate } from '../../designer/src/logic/draft';

describe('coerceTemplate', () => {
  it('keeps a valid template exactly as it is', () => {
    const coerced = coerceTemplate(JSON.parse(JSON.stringify(opsIntegratedDelivery)));
    expect(coerced).toEqual({ ok: true, template: opsIntegratedDelivery, notes: [] });
  });

  it('fills missing containers so the forms can edit, leaving errors to the validator', () => {
    const coerced = coerceTemplate({
      key: 'half',
      nodes: [
        { id: 'g', type: 'gate' },
        { id: 'x', type: 'rocket' },
        { id: 'h', type: 'hypercare', exit: 3 },
      ],
      edges: [
        { from: 'g', to: 'h', on: 'go' },
        { from: 'g', to: 'h', on: 'maybe' },
      ],
    });
    if (!coerced.ok) throw new Error(coerced.reason);
    expect(coerced.template.nodes).toEqual([
      { id: 'g', type: 'gate', name: '', signoff: { rules: [] } },
      { id: 'h', type: 'hypercare', name: '', duration: '', exit: { rules: [] }, escalation: [] },
    ]);
    expect(coerced.template.edges).toEqual([{ from: 'g', to: 'h', on: 'go' }]);
    expect(coerced.notes).toHaveLength(3);
    expect(validateTemplate(coerced.template).valid).toBe(false);
  });

  it('refuses what is not an object', () => {
    expect(coerceTemplate([1, 2])).toEqual({ ok: false, reason: expect.any(String) });
    expect(coerceTemplate('x').ok).toBe(false);
  });
});
