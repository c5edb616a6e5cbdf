/**
 * The PMO's portfolio over HTTP: a participant's list pages without repeating or skipping a
 * project whose row moved after its first write, a project is found by a part of its name,
 * and the filtered portfolio comes out as CSV, read page by page on the server.
 */
import { upsertProjectSnapshot } from '../../db';
import { startProject as initialState } from '../../workflows/lifecycle';
import { opsIntegratedDelivery, type ProjectInput } from '../../workflows/model';
import { eachDatabase } from '../support/databases';
import { allPages, startProject } from './drive-http';
import { startApiStack, type ApiStack, type TestUser } from './stack';

let api: ApiStack;
let pmo: TestUser;
let pat: TestUser;
const SEATS = {
  pm: ['pat'],
  'ops-lead': ['olga'],
  'ops-manager': ['mona'],
  support: ['sue'],
  steering: ['stan'],
};

beforeAll(async () => {
  api = await startApiStack(eachDatabase()[0]!);
  pmo = await api.user('pmo', { pmo: true });
  pat = await api.user('pat');
  for (const id of ['olga', 'mona', 'sue', 'stan']) await api.user(id);
}, 60_000);
afterAll(async () => api.stop());

/** A project's snapshot written as a record write does, started at `startedAt`. */
async function writeProject(id: string, name: string, startedAt: number, seq = 0) {
  const input: ProjectInput = {
    projectId: id,
    name,
    template: opsIntegratedDelivery,
    version: 1,
    participants: SEATS,
    startedBy: pmo.id,
  };
  const { state } = initialState(input, startedAt).machine;
  await upsertProjectSnapshot(api.db, { ...state, seq });
}

/** CSV text as rows of fields (RFC 4180: quoted fields may hold commas and doubled quotes). */
function parseCsv(text: string): string[][] {
  return text
    .split('\r\n')
    .filter((line) => line !== '')
    .map((line) =>
      [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map(([, field = '']) =>
        field.startsWith('"') ? field.slice(1, -1).replaceAll('""', '"') : field,
      ),
    );
}

const base = Date.UTC(2026, 0, 5, 9);

it("pages a participant's projects once each, also when a project's start time moved", async () => {
  // The API's first snapshot, then the workflow's, which starts a little later: the member
  // row keeps the first start time, the project row takes the second.
  for (let i = 0; i < 4; i++) {
    await writeProject(`moved-${i}`, `Moved ${i}`, base + i * 1_000);
    await writeProject(`moved-${i}`, `Moved ${i}`, base + i * 1_000 + 700, 1);
  }
  const ids: string[] = [];
  let cursor: string | undefined;
  // At most twice the pages it takes: a cursor that repeats its own row would never end.
  for (let page = 0; page < 8; page++) {
    const query = new URLSearchParams({ limit: '1', q: 'moved', ...(cursor && { cursor }) });
    const reply = await api.call('GET', `/api/projects?${query.toString()}`, { token: pat.token });
    expect(reply.status).toBe(200);
    ids.push(...(reply.body.items as { id: string }[]).map((p) => p.id));
    cursor = reply.body.nextCursor as string | undefined;
    if (cursor === undefined) break;
  }
  expect(ids).toEqual(['moved-3', 'moved-2', 'moved-1', 'moved-0']);
});

it('finds projects by a part of their name, case-insensitively, wildcards taken literally', async () => {
  await writeProject('erp-emea', 'ERP rollout — EMEA', base + 10_000);
  await writeProject('erp-apac', 'erp upgrade APAC', base + 11_000);
  await writeProject('crm-100', 'CRM 100% adoption', base + 12_000);
  await writeProject('crm-1000', 'CRM 1000 seats', base + 13_000);
  const names = async (q: string, token = pmo.token) => {
    const reply = await api.call('GET', `/api/projects?q=${encodeURIComponent(q)}`, { token });
    expect(reply.status).toBe(200);
    return (reply.body.items as { name: string }[]).map((p) => p.name);
  };
  expect(await names('erp')).toEqual(['erp upgrade APAC', 'ERP rollout — EMEA']);
  expect(await names('100%')).toEqual(['CRM 100% adoption']);
  expect(await names('  rollout ')).toEqual(['ERP rollout — EMEA']);
  // A participant searches within their own projects.
  expect(await names('emea', pat.token)).toEqual(['ERP rollout — EMEA']);
  const tooLong = await api.call('GET', `/api/projects?q=${'x'.repeat(2_000)}`, {
    token: pmo.token,
  });
  expect(tooLong.status).toBe(400);
  expect(tooLong.body.errors[0].path).toEqual(['query', 'q']);
});

it('finds names in letters beyond ASCII whatever their case, accents as typed', async () => {
  await writeProject('handoff-de', 'Übergabe an den Betrieb', base + 14_000);
  await writeProject('summer-fr', 'ÉTÉ 2027 — lancement', base + 15_000);
  const ids = async (q: string) => {
    const reply = await api.call('GET', `/api/projects?q=${encodeURIComponent(q)}`, {
      token: pmo.token,
    });
    expect(reply.status).toBe(200);
    return (reply.body.items as { id: string }[]).map((p) => p.id);
  };
  expect(await ids('über')).toEqual(['handoff-de']);
  expect(await ids('ÜBERGABE AN')).toEqual(['handoff-de']);
  expect(await ids('été 2027')).toEqual(['summer-fr']);
  expect(await ids('ete 2027')).toEqual([]);
});

it('exports the filtered portfolio as CSV, every project once, for the PMO only', async () => {
  const real = await startProject(api, pmo, '=HYPERLINK("http://evil.example"), "quoted"', {
    participants: SEATS,
  });
  // More than one of the export's pages (200 rows each).
  for (let i = 0; i < 230; i++) {
    await writeProject(`bulk-${String(i).padStart(3, '0')}`, `Bulk ${i}`, base + 100_000 + i);
  }
  const reply = await api.call('GET', '/api/portfolio/export', { token: pmo.token });
  expect(reply.status).toBe(200);
  expect(reply.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  expect(reply.headers.get('content-disposition')).toMatch(
    /^attachment; filename="portfolio-\d{4}-\d{2}-\d{2}\.csv"$/,
  );
  const [header, ...rows] = parseCsv(reply.body as string);
  expect(header).toEqual([
    'id',
    'name',
    'template',
    'version',
    'status',
    'current',
    'current_ids',
    'started_at',
    'updated_at',
    'ended_at',
    'in_node_since',
    'hypercare',
    'hypercare_ends',
    'budget',
    'spent',
    'currency',
    'cost',
  ]);
  const listed = await allPages(async (cursor) => {
    const query = new URLSearchParams({ limit: '200', ...(cursor && { cursor }) });
    return (await api.call('GET', `/api/projects?${query.toString()}`, { token: pmo.token }))
      .body as {
      items: { id: string }[];
      nextCursor?: string;
    };
  });
  expect(rows.map((r) => r[0])).toEqual(listed.items.map((p) => p.id));
  expect(new Set(rows.map((r) => r[0])).size).toBe(rows.length);
  expect(rows.length).toBeGreaterThan(230);
  // The formula is defused, the quotes kept; the current node named as the template names it.
  expect(rows[0]).toEqual([
    real,
    `'=HYPERLINK("http://evil.example"), "quoted"`,
    'ops-integrated-delivery',
    '1',
    'active',
    'Inception',
    'inception',
    expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    expect.stringMatching(/Z$/),
    '',
    // In its first node since it started; no hypercare, no cost recorded yet.
    expect.stringMatching(/Z$/),
    '',
    '',
    '',
    '',
    '',
    '',
  ]);

  const filtered = await api.call('GET', '/api/portfolio/export?q=bulk 22&status=active', {
    token: pmo.token,
  });
  expect(
    parseCsv(filtered.body as string)
      .slice(1)
      .map((r) => r[1]),
  ).toEqual([
    'Bulk 229',
    'Bulk 228',
    'Bulk 227',
    'Bulk 226',
    'Bulk 225',
    'Bulk 224',
    'Bulk 223',
    'Bulk 222',
    'Bulk 221',
    'Bulk 220',
    'Bulk 22',
  ]);
  const none = await api.call('GET', '/api/portfolio/export?status=killed', { token: pmo.token });
  expect(parseCsv(none.body as string)).toEqual([header]);

  const refused = await api.call('GET', '/api/portfolio/export', { token: pat.token });
  expect(refused.status).toBe(403);
  const bad = await api.call('GET', '/api/portfolio/export?status=stuck', { token: pmo.token });
  expect(bad.status).toBe(400);
  expect(bad.headers.get('content-type')).toContain('application/problem+json');
  expect(bad.body.errors[0].path).toEqual(['query', 'status']);
}, 60_000);
