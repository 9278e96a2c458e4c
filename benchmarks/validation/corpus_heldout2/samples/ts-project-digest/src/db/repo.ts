import Database from 'better-sqlite3';
import type { Account, Issue, Project } from '../types';

interface ProjectRow {
  id: number;
  name: string;
  owner_id: number;
  owner_kind: 'user' | 'organisation';
  archived: number;
  created_at: string;
}

function toProject(row: ProjectRow): Project {
  return {
    id: row.id,
    name: row.name,
    ownerId: row.owner_id,
    ownerKind: row.owner_kind,
    archived: row.archived === 1,
    createdAt: row.created_at,
  };
}

export class Repo {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file, { readonly: true });
  }

  activeProjects(): Project[] {
    const rows = this.db
      .prepare('SELECT id, name, owner_id, owner_kind, archived, created_at FROM projects WHERE archived = 0')
      .all() as ProjectRow[];
    return rows.map(toProject);
  }

  projectsOwnedBy(ownerId: number): Project[] {
    const rows = this.db
      .prepare('SELECT id, name, owner_id, owner_kind, archived, created_at FROM projects WHERE owner_id = ?')
      .all(ownerId) as ProjectRow[];
    return rows.map(toProject);
  }

  issuesChangedSince(projectId: number, since: string): Issue[] {
    return this.db
      .prepare(
        `SELECT id, project_id AS projectId, title, state, assignee_email AS assigneeEmail, updated_at AS updatedAt
         FROM issues WHERE project_id = ? AND updated_at >= ? ORDER BY updated_at DESC`,
      )
      .all(projectId, since) as Issue[];
  }

  account(id: number): Account | undefined {
    return this.db
      .prepare('SELECT id, email, display_name AS displayName, digest_opt_in = 1 AS digestOptIn FROM accounts WHERE id = ?')
      .get(id) as Account | undefined;
  }
}
