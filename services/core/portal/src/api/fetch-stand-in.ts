/**
 * For API-client unit tests: a stand-in `fetch` that records what the client
 * sent and answers with whatever the test sets, plus the `document.cookie`
 * the CSRF echo reads. Call `install()` in beforeAll and `restore()` in afterAll.
 */
export interface RecordedCall {
  url: string;
  init: { method?: string; headers?: Record<string, string>; body?: string };
}

export interface FetchStandIn {
  calls: RecordedCall[];
  /** The next answers; each call makes a fresh Response. */
  answer: () => Response;
  install(): void;
  restore(): void;
  /** The last call's URL, parsed. */
  lastUrl(): URL;
  /** The last call's JSON body. */
  lastBody(): unknown;
}

export function fetchStandIn(cookie = 'sid=x; __csrf=tok%2Fen'): FetchStandIn {
  const realFetch = globalThis.fetch;
  const standIn: FetchStandIn = {
    calls: [],
    answer: () => new Response(null, { status: 200 }),
    install() {
      (globalThis as unknown as { document: { cookie: string } }).document = { cookie };
      globalThis.fetch = (async (url: string, init: RecordedCall['init']) => {
        standIn.calls.push({ url, init: init ?? {} });
        return standIn.answer();
      }) as unknown as typeof fetch;
    },
    restore() {
      globalThis.fetch = realFetch;
      delete (globalThis as { document?: unknown }).document;
    },
    lastUrl() {
      const last = standIn.calls[standIn.calls.length - 1];
      if (!last) throw new Error('no call was made');
      return new URL(last.url, 'http://portal');
    },
    lastBody() {
      const last = standIn.calls[standIn.calls.length - 1];
      return last?.init.body === undefined ? undefined : JSON.parse(last.init.body);
    },
  };
  return standIn;
}

/** A JSON answer with an optional `X-Total-Count`. */
export function jsonAnswer(body: unknown, init: { status?: number; total?: number } = {}): () => Response {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (init.total !== undefined) headers['X-Total-Count'] = String(init.total);
  return () => new Response(JSON.stringify(body), { status: init.status ?? 200, headers });
}
