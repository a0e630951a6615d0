// A task's live events over WebSocket (`/api/nasa/ws/learn/{task_id}`): the
// same numbered events as the SSE stream, as JSON messages. The upgrade is
// checked like any request (Host, Origin, token and role) before the socket
// exists; messages from the client are not expected and are bounded.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiTasks } from './apiTasks';
import { hostAllowed, originAllowed } from './requestGuards';
import type { TokenChecker } from './tokens';

export interface LiveSocketOptions {
  tasks: ApiTasks;
  allowedHosts: readonly string[];
  allowedOrigins: readonly string[];
  tokens: TokenChecker | null;
  heartbeatMs?: number;
}

const PATH = /^\/api\/nasa\/ws\/learn\/([^/?#]+)$/;

function refuse(socket: Duplex, status: number, reason: string): void {
  const body = JSON.stringify({ status, detail: reason });
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

export function attachLiveSocket(server: Server, options: LiveSocketOptions): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = PATH.exec(url.pathname);
    if (!hostAllowed(req.headers.host, options.allowedHosts)) return refuse(socket, 421, 'Misdirected Request');
    const origin = req.headers.origin;
    if (origin !== undefined && !originAllowed(origin, options.allowedOrigins)) return refuse(socket, 403, 'Forbidden');
    if (options.tokens) {
      const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const token = bearer ? options.tokens.check(bearer) : null;
      if (!token) return refuse(socket, 401, 'Unauthorized');
      if (token.role === 'ingest') return refuse(socket, 403, 'Forbidden');
    }
    if (!match) return refuse(socket, 404, 'Not Found');
    const taskId = decodeURIComponent(match[1]!);
    if (!options.tasks.queue.get(taskId)) return refuse(socket, 404, 'Not Found');
    const after = Number(url.searchParams.get('last_event_id') ?? req.headers['last-event-id'] ?? 0);
    if (!Number.isInteger(after) || after < 0) return refuse(socket, 400, 'Bad Request');
    wss.handleUpgrade(req, socket, head, (ws) => follow(ws, taskId, after));
  });

  const follow = (ws: WebSocket, taskId: string, after: number) => {
    let alive = true;
    const heartbeat = setInterval(() => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, options.heartbeatMs ?? 15_000);
    ws.on('pong', () => (alive = true));
    const stop = options.tasks.follow(taskId, after, (e) => {
      ws.send(JSON.stringify({ seq: e.seq, event: e.event, data: e.data }));
      if (e.event === 'completed' || e.event === 'error') ws.close(1000, 'the task has ended');
    });
    if (options.tasks.ended(taskId) && after > 0) ws.close(1000, 'the task has ended');
    ws.on('message', () => ws.close(1008, 'this socket only sends'));
    ws.on('close', () => {
      clearInterval(heartbeat);
      stop();
    });
  };

  return {
    close() {
      for (const client of wss.clients) client.close(1001, 'the server is stopping');
      wss.close();
    },
  };
}
