export interface Note {
  id: string;
  title: string;
  body: string;
  pinned: boolean;
  updatedAt: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function request<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`/api${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...init?.headers },
  });
  if (!res.ok) {
    const detail = await res.text();
    throw new ApiError(res.status, detail || res.statusText);
  }
  return res.status === 204 ? (undefined as T) : ((await res.json()) as T);
}

export const notesApi = {
  list: () => request<Note[]>('/notes'),
  get: (id: string) => request<Note>(`/notes/${encodeURIComponent(id)}`),
  create: (draft: Pick<Note, 'title' | 'body'>) =>
    request<Note>('/notes', { method: 'POST', body: JSON.stringify(draft) }),
  update: (id: string, patch: Partial<Omit<Note, 'id' | 'updatedAt'>>) =>
    request<Note>(`/notes/${encodeURIComponent(id)}`, { method: 'PATCH', body: JSON.stringify(patch) }),
  remove: (id: string) => request<void>(`/notes/${encodeURIComponent(id)}`, { method: 'DELETE' }),
};
