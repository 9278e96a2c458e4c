import { findOverdue } from './store.js';

export function digest(store, now = new Date()) {
  const late = findOverdue(store.list(), now);
  if (late.length === 0) return 'Nothing overdue.';
  return [`${late.length} overdue:`, ...late.map((t) => `- ${t.title} (due ${t.due.slice(0, 10)})`)].join('\n');
}

