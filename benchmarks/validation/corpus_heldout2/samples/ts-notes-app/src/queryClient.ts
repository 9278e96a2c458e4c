import { QueryClient } from '@tanstack/react-query';
import { persistQueryClient } from '@tanstack/react-query-persist-client';
import { createIndexedDBPersister } from '@tanstack/query-indexeddb-persister';
import { ApiError } from './api/notes';

const ONE_DAY = 24 * 60 * 60 * 1000;

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      gcTime: ONE_DAY,
      retry: (failureCount, error) => {
        // A 4xx will not get better by asking again.
        if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
        return failureCount < 3;
      },
      refetchOnWindowFocus: true,
    },
    mutations: {
      retry: 0,
    },
  },
});

const persister = createIndexedDBPersister({
  databaseName: 'notes-cache',
  throttleTime: 1000,
});

export function enableOfflineCache(buster: string): void {
  persistQueryClient({
    queryClient,
    persister,
    maxAge: 7 * ONE_DAY,
    buster,
    dehydrateOptions: {
      shouldDehydrateQuery: (query) => query.state.status === 'success',
    },
  });
}
