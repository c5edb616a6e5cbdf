/** Ports for the proof's processes: the first `count` free ones from `base` up (127.0.0.1). */
import net from 'node:net';

export async function freePorts(base: number, count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let port = base; ports.length < count; port++) {
    if (port > 65535) throw new Error(`fewer than ${count} free ports from ${base}`);
    if (await isFree(port)) ports.push(port);
  }
  return ports;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
