/**
 * The proof's client giving up on a request: its error names what the request got (so a CI log
 * that ends there says why), and a project whose request was given up stops there, reported by
 * the checks, instead of ending the run before any check could say what was wrong. A real HTTP
 * listener plays the API.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GaveUp, ProofClient } from '../../scripts/proof/client';
import { driveProject, type Cast } from '../../scripts/proof/drive';
import { createRng } from '../../scripts/proof/rng';

let server: Server;
let url: string;
let served = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    served += 1;
    req.resume();
    res.writeHead(503, {
      'content-type': 'application/problem+json',
      'x-request-id': `req-${served}`,
    });
    res.end(JSON.stringify({ code: 'project_unavailable', status: 503 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const client = () =>
  new ProofClient([{ name: 'api-1', url, inRotation: true }], createRng(7), 1_200);

it('gives up with the answers it got, how often, and the last request ids', async () => {
  const before = served;
  const error = await client()
    .send('p-001 readiness handoff by u1', 'POST', '/api/x', { token: 't', body: {} })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(GaveUp);
  const tries = served - before;
  expect(tries).toBeGreaterThan(1);
  expect((error as Error).message).toMatch(
    new RegExp(
      `^p-001 readiness handoff by u1: no answer but errors for 1\\.2 s from \\S+ ` +
        `\\(${tries} attempts: 503 project_unavailable from api-1 ×${tries}; ` +
        `last request ids (req-\\d+ ?){${Math.min(3, tries)}}\\)$`,
    ),
  );
});

it('stops the project the request was for, with the reason, and goes on', async () => {
  const cast = {
    template: { key: 'k' },
    pmo: { id: 'pmo', token: 't' },
    tokens: {},
    participants: {},
  } as unknown as Cast;
  const run = await driveProject(client(), cast, 'p-002', {
    think: () => 0,
    onAccepted: () => undefined,
  });
  expect(run.done).toBe(false);
  expect(run.id).toBeUndefined();
  expect(run.error).toMatch(
    /^p-002 start: no answer but errors for 1\.2 s .*503 project_unavailable/,
  );
});
