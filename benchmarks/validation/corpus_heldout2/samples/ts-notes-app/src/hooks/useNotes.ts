import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { notesApi, type Note } from '../api/notes';

const notesKey = ['notes'] as const;

export function useNotes() {
  return useQuery({
    queryKey: notesKey,
    queryFn: notesApi.list,
    select: (notes: Note[]) =>
      [...notes].sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.updatedAt.localeCompare(a.updatedAt)),
  });
}

export function useTogglePin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (note: Note) => notesApi.update(note.id, { pinned: !note.pinned }),
    onMutate: async (note) => {
      await client.cancelQueries({ queryKey: notesKey });
      const previous = client.getQueryData<Note[]>(notesKey);
      client.setQueryData<Note[]>(notesKey, (old) =>
        old?.map((n) => (n.id === note.id ? { ...n, pinned: !n.pinned } : n)),
      );
      return { previous };
    },
    onError: (_err, _note, context) => {
      if (context?.previous) client.setQueryData(notesKey, context.previous);
    },
    onSettled: () => client.invalidateQueries({ queryKey: notesKey }),
  });
}

export function useDeleteNote() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => notesApi.remove(id),
    onSuccess: (_data, id) => {
      client.setQueryData<Note[]>(notesKey, (old) => old?.filter((n) => n.id !== id));
    },
  });
}
