import { Kysely, PostgresDialect, type Generated } from 'kysely';
import { Pool } from 'pg';

export interface PostsTable {
  id: Generated<number>;
  slug: string;
  title: string;
  body_html: string;
  excerpt: string;
  reading_minutes: number;
  status: 'draft' | 'published';
  author_id: number;
  published_at: Date | null;
  updated_at: Date;
}

export interface Database {
  posts: PostsTable;
}

export function createDb(connectionString: string): Kysely<Database> {
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new Pool({ connectionString, max: 10 }) }),
  });
}
