// Test helper: a local HTTP server on 127.0.0.1 serving fixed bodies by path (externaldata tests). It runs
// on its own worker thread: externaldata's download blocks the calling thread until it is answered, so a
// server on that same thread could never answer.
import { Worker } from 'node:worker_threads';

export interface Served {
  body: string | Uint8Array;
  /** Milliseconds to wait before answering (time-cap tests). */
  delayMs?: number;
  status?: number;
  /** Send no Content-Length (a chunked body), so only the streamed byte count can trip the size cap. */
  chunked?: boolean;
}

export interface FileServer {
  url: string;
  /** Requests answered so far, by path (read it after the thread that asked is free again). */
  hits: Map<string, number>;
  close(): Promise<void>;
}

const SERVER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const files = workerData;
const server = http.createServer((req, res) => {
  const path = (req.url || '/').split('?')[0];
  parentPort.postMessage({ hit: path });
  const f = files[path];
  const answer = () => {
    if (!f) return res.writeHead(404).end('not found');
    const body = Buffer.from(f.body);
    res.writeHead(f.status || 200, f.chunked ? {} : { 'content-length': String(body.length) });
    if (f.chunked) { for (let i = 0; i < body.length; i += 1024) res.write(body.subarray(i, i + 1024)); res.end(); }
    else res.end(body);
  };
  if (f && f.delayMs) setTimeout(answer, f.delayMs); else answer();
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (m) => { if (m === 'close') { server.closeAllConnections(); server.close(() => parentPort.postMessage({ closed: true })); } });
`;

export async function serveFiles(files: Record<string, Served>): Promise<FileServer> {
  const worker = new Worker(SERVER, { eval: true, workerData: files });
  const hits = new Map<string, number>();
  let closed: (() => void) | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    worker.on('error', reject);
    worker.on('message', (m: { port?: number; hit?: string; closed?: boolean }) => {
      if (m.port) resolve(m.port);
      if (m.hit) hits.set(m.hit, (hits.get(m.hit) ?? 0) + 1);
      if (m.closed) closed?.();
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: async () => {
      await new Promise<void>((r) => {
        closed = r;
        worker.postMessage('close');
      });
      await worker.terminate();
    },
  };
}
