import type { z } from 'zod';
import type { HostToWebview, PanelPersistedState, PanelRequestMethod, WebviewToHost } from '../shared/dashboardProtocol';
import { hostToWebviewSchema, panelPersistedStateSchema, panelRequests, webviewToHostSchema } from '../shared/dashboardProtocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();
const REQUEST_TIMEOUT_MS = 30_000;
let nextId = 1;
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; method: PanelRequestMethod; timer: number }>();

/** Sends a message to the host, checked against the shared protocol first. */
export function send(message: WebviewToHost): void {
  api.postMessage(webviewToHostSchema.parse(message));
}

/** Asks the host and resolves with its validated answer (or rejects with its error, or after a timeout). */
export function request<M extends PanelRequestMethod>(method: M, params: z.input<(typeof panelRequests)[M]['params']>): Promise<z.infer<(typeof panelRequests)[M]['result']>> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = window.setTimeout(() => {
      pending.delete(id);
      reject(new Error(`The extension did not answer (${method}) within ${REQUEST_TIMEOUT_MS / 1000} s.`));
    }, REQUEST_TIMEOUT_MS);
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject, method, timer });
    send({ type: 'request', id, method, params });
  });
}

/** Calls `handler` with every valid message from the host; invalid ones are dropped and logged. */
export function onHostMessage(handler: (message: HostToWebview) => void): () => void {
  const listener = (event: MessageEvent) => {
    const parsed = hostToWebviewSchema.safeParse(event.data);
    if (!parsed.success) {
      console.warn('Learning Viewer: dropped an invalid message from the host', parsed.error.issues[0]?.message);
      return;
    }
    const msg = parsed.data;
    if (msg.type === 'response') {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      window.clearTimeout(p.timer);
      if (!msg.ok) return p.reject(new Error(msg.error ?? 'the request failed'));
      const result = panelRequests[p.method].result.safeParse(msg.result);
      if (result.success) p.resolve(result.data);
      else p.reject(new Error(`invalid answer to ${p.method}`));
      return;
    }
    handler(msg);
  };
  window.addEventListener('message', listener);
  return () => window.removeEventListener('message', listener);
}

export function loadPersisted(): PanelPersistedState {
  const parsed = panelPersistedStateSchema.safeParse(api.getState() ?? {});
  return parsed.success ? parsed.data : panelPersistedStateSchema.parse({});
}

export function savePersisted(state: PanelPersistedState): void {
  api.setState(state);
}
