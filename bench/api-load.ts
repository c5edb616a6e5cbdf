/**
 * The API bench's HTTP load, run in a worker thread: the approvers' steps as requests over
 * keep-alive connections (one per project, as many as the bench's connections). On a thread of
 * its own, the client's work stays off the event loop that serves the API, as it would for
 * clients on other machines. Says when it is ready, starts on the parent's word and posts the
 * {@link Samples} back when the time is up.
 */
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { routes } from '../server/contract';
import { threadCpuMs } from './cpu';
import { drive, type Cast, type Samples, type Send, type Step } from './approvers';

export interface LoadInput {
  baseUrl: string;
  /** Bearer token of every user the cast names. */
  tokens: Record<string, string>;
  cast: Cast;
  projectIds: string[];
  seconds: number;
}

/** What the thread tells its parent: loaded, then the samples. */
export type FromLoad =
  | { type: 'ready' }
  | {
      type: 'done';
      samples: Samples;
      /** This thread's CPU ms over the run: the clients' cost, apart from the API's. */
      cpuMs: number | undefined;
    };

/** The request a step is, on the contract's paths. */
function requestOf(cast: Cast, projectId: string, step: Step) {
  const id = encodeURIComponent(projectId);
  switch (step.kind) {
    case 'read':
      return { method: 'GET', path: routes.getProject.path.replace(':id', id) };
    case 'signoff':
      return {
        method: 'POST',
        path: routes.signoff.path.replace(':id', id).replace(':nodeId', cast.gate),
        body: step.body,
      };
    case 'resume':
      return { method: 'POST', path: routes.resume.path.replace(':id', id), body: step.body };
  }
}

function httpSender(input: LoadInput): { send: Send; close: () => void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: input.projectIds.length });
  const send: Send = (projectId, step) => {
    const { method, path, body } = requestOf(input.cast, projectId, step);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = http.request(
        new URL(path, input.baseUrl),
        {
          method,
          agent,
          headers: {
            authorization: `Bearer ${input.tokens[step.as]}`,
            ...(payload !== undefined && {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(payload),
            }),
          },
        },
        (res) => {
          // Read every answer to its end: only then is the connection free for the next one.
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve();
            const text = Buffer.concat(chunks).toString('utf8').slice(0, 300);
            reject(new Error(`HTTP ${status} ${method} ${path}: ${text}`));
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  };
  return { send, close: () => agent.destroy() };
}

async function run(input: LoadInput): Promise<Samples> {
  const { send, close } = httpSender(input);
  try {
    return await drive(input.projectIds, input.cast, input.seconds, send);
  } finally {
    close();
  }
}

// Loaded (the TypeScript compiled) before the clock starts: the parent says when to begin.
const port = parentPort!;
port.once('message', () => {
  const cpu0 = threadCpuMs();
  run(workerData as LoadInput).then(
    (samples) => {
      const cpu1 = threadCpuMs();
      const cpuMs = cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0;
      port.postMessage({ type: 'done', samples, cpuMs } satisfies FromLoad);
    },
    (error: unknown) => {
      // Thrown outside the promise, it reaches the parent as the worker's 'error' event.
      setImmediate(() => {
        throw error;
      });
    },
  );
});
port.postMessage({ type: 'ready' } satisfies FromLoad);
