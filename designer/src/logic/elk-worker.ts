/**
 * The browser's ELK: elk-api talking to ELK's own worker script, which Vite ships as a separate
 * asset. Pages built by Vite (the app, the designer bench's baseline) call this once at start.
 */
import ElkApi from 'elkjs/lib/elk-api.js';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import { runElkWith } from './layout';

export function layoutInWebWorker(): void {
  runElkWith(() => new ElkApi({ workerUrl: elkWorkerUrl }));
}
