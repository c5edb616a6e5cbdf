/**
 * A project whose workflow history is not in Temporal (past its namespace's retention, or the
 * namespace was reset) while the read model still lists it as running: its dry run answers a
 * 404 naming why, and an impact analysis counts it blocked; neither answers 503 "Temporal
 * cannot be reached" (which a client retries for ever, and which left an analysis stuck). Real app and Temporal, both databases; the
 * project is written straight to the read model, with no workflow behind it.
 */
import { builtinStart } from '../fixtures/builtin-start';
import { upsertProjectSnapshot } from '../../db';
import { opsIntegratedDelivery, seatParticipants } from '../../workflows/model';
import { eachDatabase } from '../support/databases';
import { uniqueId } from '../support/temporal';
import { startApiStack, type ApiStack, type TestUser } from './stack';

describe.each(eachDatabase())('a dry run without a workflow history on $name', (factory) => {
  let api: ApiStack;
  let pmo: TestUser;

  beforeAll(async () => {
    api = await startApiStack(factory, {}, { worker: false });
    pmo = await api.user('paula', { pmo: true });
  });
  afterAll(async () => api.stop());

  /** A running project in the read model, with no workflow behind it. */
  async function withoutHistory(): Promise<string> {
    const id = uniqueId('no-history');
    const state = builtinStart(id, seatParticipants(opsIntegratedDelivery), { startedBy: 'paula' });
    expect(await upsertProjectSnapshot(api.db, state)).toBe(true);
    return id;
  }

  it('answers a dry run 404 naming the missing history', async () => {
    const id = await withoutHistory();
    const reply = await api.call('POST', `/api/projects/${id}/impact`, {
      token: pmo.token,
      body: { version: 1 },
    });
    expect(reply.status).toBe(404);
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
    expect(reply.body).toMatchObject({ code: 'not_found' });
    expect(reply.body.detail).toContain('history');
  });

  it('finishes an impact analysis with that project blocked, not stuck answering 503', async () => {
    const id = await withoutHistory();
    const reply = await api.call('POST', `/api/templates/${opsIntegratedDelivery.key}/impact`, {
      token: pmo.token,
      body: { version: 1 },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.job).toMatchObject({ status: 'done' });
    expect(reply.body.items).toContainEqual(
      expect.objectContaining({
        projectId: id,
        class: 'blocked',
        differences: [expect.objectContaining({ kind: 'unreadable' })],
      }),
    );
  });
});
