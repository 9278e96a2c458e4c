export interface Project {
  id: number;
  name: string;
  /** The account that owns the project (renamed from userId in 4.0: projects can belong to organisations). */
  ownerId: number;
  ownerKind: 'user' | 'organisation';
  archived: boolean;
  createdAt: string;
}

export interface Issue {
  id: number;
  projectId: number;
  title: string;
  state: 'open' | 'closed';
  assigneeEmail: string | null;
  updatedAt: string;
}

export interface Account {
  id: number;
  email: string;
  displayName: string;
  digestOptIn: boolean;
}
