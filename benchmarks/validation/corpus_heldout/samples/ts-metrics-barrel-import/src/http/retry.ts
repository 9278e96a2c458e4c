export interface RetryOptions {
  attempts: number;
  baseDelayMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function withRetry<T>(fn: () => Promise<T>, { attempts, baseDelayMs = 100 }: RetryOptions): Promise<T> {
  let lastError: unknown;
  for (let i = 0; i < attempts; i += 1) {
    try {
      return await fn();
    } catch (err) {
      lastError = err;
      await sleep(baseDelayMs * 2 ** i);
    }
  }
  throw lastError;
}

