/**
 * The `scale` bench's HTTP client, run on a worker thread (`askInThread`): production's
 * clients are browsers elsewhere, and a client in the API's own isolate filled the API's heap
 * with its own garbage (fetch allocates more per request than the API's reads do), so the
 * API's minor garbage collections, a millisecond or more each, landed on about one request in
 * fifty: on the p99s this bench compares, and on one size or another by chance.
 */
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/** One request: its URL and the bearer token it is asked with. */
export interface Target {
  url: string;
  token: string;
}

export interface ClientInput {
  /** targets[kind][portfolio]: each kind is asked of every portfolio in turn, `requests` times. */
  targets: Target[][];
  /** How many times each request is asked and timed, after `warmup` untimed times. */
  requests: number;
  warmup: number;
}

/** latencies[kind][portfolio][n]: milliseconds from sending a request to its whole body. */
type ClientOutput = { latencies: number[][][] } | { error: string };

/** Runs the requests on a thread of their own; resolves with their latencies. */
export async function askInThread(input: ClientInput): Promise<number[][][]> {
  // tsx's hooks do not reach worker threads on Node 20: the thread registers them itself.
  const boot =
    `require(${JSON.stringify(require.resolve('tsx/cjs'))});` +
    `require(${JSON.stringify(__filename)});`;
  const worker = new Worker(boot, { eval: true, workerData: input });
  try {
    const output = await new Promise<ClientOutput>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the client's thread exited (${code})`)));
    });
    if ('error' in output) throw new Error(`scale client: ${output.error}`);
    return output.latencies;
  } finally {
    await worker.terminate();
  }
}

async function ask(target: Target): Promise<void> {
  const response = await fetch(target.url, {
    headers: { authorization: `Bearer ${target.token}` },
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${target.url}: HTTP ${response.status}`);
}

async function run({ targets, requests, warmup }: ClientInput): Promise<number[][][]> {
  for (const kind of targets) {
    for (const target of kind) for (let w = 0; w < warmup; w++) await ask(target);
  }
  const latencies = targets.map((kind) => kind.map(() => [] as number[]));
  for (let r = 0; r < requests; r++) {
    for (const [k, kind] of targets.entries()) {
      // Each round starts with the next portfolio: none always follows the same one.
      for (let j = 0; j < kind.length; j++) {
        const i = (j + r) % kind.length;
        const started = performance.now();
        await ask(kind[i]!);
        latencies[k]![i]!.push(performance.now() - started);
      }
    }
  }
  return latencies;
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  run(workerData as ClientInput).then(
    (latencies) => port.postMessage({ latencies }),
    (error: unknown) =>
      port.postMessage({ error: error instanceof Error ? error.message : String(error) }),
  );
}
