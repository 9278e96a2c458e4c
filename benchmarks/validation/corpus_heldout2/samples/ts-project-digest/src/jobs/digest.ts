import { Resend } from 'resend';
import type { Repo } from '../db/repo';
import type { Issue, Project } from '../types';

const DAY_MS = 24 * 60 * 60 * 1000;

interface DigestSection {
  project: Project;
  opened: Issue[];
  closed: Issue[];
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

function renderSection(section: DigestSection): string {
  const list = (issues: Issue[]) =>
    issues.map((i) => `<li>#${i.id} ${escape(i.title)}</li>`).join('') || '<li>none</li>';
  return `
    <h2>${escape(section.project.name)}</h2>
    <h3>Opened or updated</h3><ul>${list(section.opened)}</ul>
    <h3>Closed</h3><ul>${list(section.closed)}</ul>`;
}

export async function sendDailyDigests(repo: Repo, resend: Resend, now = new Date()): Promise<number> {
  const since = new Date(now.getTime() - DAY_MS).toISOString();
  const byRecipient = new Map<number, DigestSection[]>();

  for (const project of repo.activeProjects()) {
    if (project.ownerKind !== 'user') continue;
    const changed = repo.issuesChangedSince(project.id, since);
    if (changed.length === 0) continue;
    const sections = byRecipient.get(project.userId) ?? [];
    sections.push({
      project,
      opened: changed.filter((i) => i.state === 'open'),
      closed: changed.filter((i) => i.state === 'closed'),
    });
    byRecipient.set(project.userId, sections);
  }

  let sent = 0;
  for (const [accountId, sections] of byRecipient) {
    const account = repo.account(accountId);
    if (!account || !account.digestOptIn) continue;
    const { error } = await resend.emails.send({
      from: 'Tracker <digest@tracker.example>',
      to: account.email,
      subject: `Your daily digest: ${sections.length} project(s) changed`,
      html: `<p>Hello ${escape(account.displayName)},</p>${sections.map(renderSection).join('')}`,
    });
    if (error) throw new Error(`digest to ${account.email} failed: ${error.message}`);
    sent += 1;
  }
  return sent;
}
