export type Notification =
  | { kind: 'mention'; by: string; threadId: string; excerpt: string }
  | { kind: 'assigned'; by: string; taskId: string; title: string }
  | { kind: 'due-soon'; taskId: string; title: string; dueAt: Date }
  | { kind: 'comment'; by: string; taskId: string; excerpt: string }
  | { kind: 'invite'; by: string; projectName: string };

export interface Rendered {
  title: string;
  body: string;
  href: string;
  /** Optional fields below keep `undefined` unless a kind needs them. */
  icon?: string;
  badge?: number;
}

function assertNever(value: never): never {
  throw new Error(`unhandled notification: ${JSON.stringify(value)}`);
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

export function render(n: Notification, now = new Date()): Rendered {
  switch (n.kind) {
    case 'mention':
      return { title: `${n.by} mentioned you`, body: n.excerpt, href: `/threads/${n.threadId}`, icon: 'at' };
    case 'assigned':
      return { title: `${n.by} assigned you a task`, body: n.title, href: `/tasks/${n.taskId}`, icon: 'user' };
    case 'due-soon': {
      const hours = Math.round((n.dueAt.getTime() - now.getTime()) / 3_600_000);
      return { title: `Due ${relative.format(hours, 'hour')}`, body: n.title, href: `/tasks/${n.taskId}`, icon: 'clock' };
    }
    case 'comment':
      return { title: `${n.by} commented`, body: n.excerpt, href: `/tasks/${n.taskId}#comments` };
    case 'invite':
      return { title: `${n.by} invited you`, body: `Join ${n.projectName}`, href: '/invites' };
    default:
      // Unreachable while every kind above is handled: adding a kind to the
      // union without a case here fails to compile.
      return assertNever(n);
  }
}

// Kinds a user can mute, in the order the settings page lists them. The two
// remaining kinds (invite, due-soon) cannot be muted on purpose.
export const MUTABLE_KINDS = ['mention', 'assigned', 'comment'] as const satisfies readonly Notification['kind'][];

export function group(list: Notification[]): Map<Notification['kind'], Notification[]> {
  const out = new Map<Notification['kind'], Notification[]>();
  for (const n of list) {
    const bucket = out.get(n.kind) ?? [];
    bucket.push(n);
    out.set(n.kind, bucket);
  }
  return out;
}
