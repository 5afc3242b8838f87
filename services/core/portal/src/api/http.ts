/**
 * The one place the portal talks HTTP: same-origin cookies, the CSRF echo
 * core requires on session-authenticated writes, and Harbor's error envelope
 * turned into an ApiError whose message is the server's words.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const csrfHeader = 'X-Harbor-CSRF-Token';

type Listener = () => void;
const sessionLostListeners = new Set<Listener>();

/** Called when an API call answers 401: the session expired or was signed out elsewhere. Returns an unsubscribe. */
export function onSessionLost(listener: Listener): () => void {
  sessionLostListeners.add(listener);
  return () => {
    sessionLostListeners.delete(listener);
  };
}
const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function csrfToken(): string | undefined {
  const entry = document.cookie.split('; ').find((c) => c.startsWith('__csrf='));
  return entry ? decodeURIComponent(entry.slice('__csrf='.length)) : undefined;
}

export interface RequestOptions {
  method?: string;
  json?: unknown;
  form?: Record<string, string>;
}

export async function request(path: string, options: RequestOptions = {}): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  const token = csrfToken();
  if (unsafe.has(method) && token) headers[csrfHeader] = token;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', '');
  }
  if (!res.ok) {
    // A refused sign-in (/c/login) is a wrong password, not a lost session.
    if (res.status === 401 && path.startsWith('/api/')) sessionLostListeners.forEach((listener) => listener());
    throw await errorOf(res);
  }
  return res;
}

export async function requestJson<T>(path: string, options?: RequestOptions): Promise<T> {
  const res = await request(path, options);
  return (await res.json()) as T;
}

/** Harbor's `{"errors":[{code,message}]}`; anything else keeps only the status (message empty). */
async function errorOf(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { errors?: { code?: unknown; message?: unknown }[] };
    const first = body.errors?.[0];
    if (first && typeof first.message === 'string') {
      return new ApiError(res.status, typeof first.code === 'string' ? first.code : 'UNKNOWN', first.message);
    }
  } catch {
    // not JSON: fall through to the status alone
  }
  return new ApiError(res.status, 'UNKNOWN', '');
}
