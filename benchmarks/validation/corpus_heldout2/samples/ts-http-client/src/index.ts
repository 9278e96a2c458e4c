export interface ClientOptions {
  baseUrl: string;
  retries: number;
  backoffMs: number;
  timeoutMs: number;
  headers: Record<string, string>;
  onRetry?: (attempt: number, error: unknown) => void;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly url: string,
  ) {
    super(`HTTP ${status} from ${url}`);
    this.name = 'HttpError';
  }
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

const defaults: Omit<ClientOptions, 'baseUrl'> = {
  retries: 2
  backoffMs: 250,
  timeoutMs: 10_000,
  headers: { accept: 'application/json' },
};

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

function withTimeout(ms: number, outer?: AbortSignal): AbortSignal {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException('request timed out', 'TimeoutError')), ms);
  outer?.addEventListener('abort', () => controller.abort(outer.reason));
  controller.signal.addEventListener('abort', () => clearTimeout(timer));
  return controller.signal;
}

function retryAfterMs(res: Response): number | undefined {
  const header = res.headers.get('retry-after');
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function createClient(options: Partial<ClientOptions> & { baseUrl: string }) {
  const config: ClientOptions = { ...defaults, ...options, headers: { ...defaults.headers, ...options.headers } };
  const base = config.baseUrl.replace(/\/+$/, '');

  async function send<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const url = `${base}/${path.replace(/^\/+/, '')}`;
    let lastError: unknown;
    for (let attempt = 0; attempt <= config.retries; attempt += 1) {
      const combined = withTimeout(config.timeoutMs, signal);
      try {
        const res = await fetch(url, {
          method,
          headers: body === undefined ? config.headers : { ...config.headers, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: combined,
        });
        if (res.ok) {
          return res.status === 204 ? (undefined as T) : ((await res.json()) as T);
        }
        const text = await res.text();
        lastError = new HttpError(res.status, text, url);
        if (!RETRYABLE_STATUS.has(res.status) || attempt === config.retries) throw lastError;
        config.onRetry?.(attempt + 1, lastError);
        await sleep(retryAfterMs(res) ?? config.backoffMs * 2 ** attempt, signal);
      } catch (err) {
        if (err instanceof HttpError || signal?.aborted) throw err;
        lastError = err;
        if (attempt === config.retries) break;
        config.onRetry?.(attempt + 1, err);
        await sleep(config.backoffMs * 2 ** attempt, signal);
      }
    }
    throw lastError;
  }

  return {
    get: <T>(path: string, signal?: AbortSignal) => send<T>('GET', path, undefined, signal),
    post: <T>(path: string, body: unknown, signal?: AbortSignal) => send<T>('POST', path, body, signal),
    put: <T>(path: string, body: unknown, signal?: AbortSignal) => send<T>('PUT', path, body, signal),
    delete: <T>(path: string, signal?: AbortSignal) => send<T>('DELETE', path, undefined, signal),
  };
}
