export interface PostOptions {
  timeoutMs?: number;
  headers?: Record<string, string>;
}

export async function postText(url: string, body: string, options: PostOptions = {}): Promise<number> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 5000);
  try {
    const response = await fetch(url, { method: 'POST', body, headers: options.headers, signal: controller.signal });
    return response.status;
  } finally {
    clearTimeout(timer);
  }
}

