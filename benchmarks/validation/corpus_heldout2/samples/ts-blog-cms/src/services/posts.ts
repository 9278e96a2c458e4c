import type { Kysely } from 'kysely';
import sanitizeHtml from 'sanitize-html';
import type { Database } from '../lib/db';
import { excerpt, readingMinutes, stripTags } from '../lib/text';
import { slugify, uniqueSlug } from '../lib/strings';

export interface PostInput {
  title: string;
  bodyHtml: string;
  authorId: number;
}

export class ValidationError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

const ALLOWED_TAGS = [
  'p', 'h2', 'h3', 'h4', 'blockquote', 'ul', 'ol', 'li', 'a', 'strong', 'em',
  'code', 'pre', 'img', 'figure', 'figcaption', 'hr', 'br',
];

function cleanBody(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      a: ['href', 'title', 'rel'],
      img: ['src', 'alt', 'width', 'height'],
      code: ['class'],
    },
    allowedSchemes: ['https', 'mailto'],
    transformTags: {
      a: sanitizeHtml.simpleTransform('a', { rel: 'noopener nofollow' }),
    },
  });
}

function validate(input: PostInput): void {
  if (!input.title || input.title.trim().length < 3) {
    throw new ValidationError('title', 'title must have at least 3 characters');
  }
  if (input.title.length > 160) {
    throw new ValidationError('title', 'title must have at most 160 characters');
  }
  if (!input.bodyHtml || stripTags(input.bodyHtml).trim().length === 0) {
    throw new ValidationError('bodyHtml', 'the post is empty');
  }
}

export class PostService {
  constructor(private readonly db: Kysely<Database>) {}

  async create(input: PostInput) {
    validate(input);
    const body = cleanBody(input.bodyHtml);
    const text = stripTags(body);
    const taken = await this.db.selectFrom('posts').select('slug').execute();
    const slug = uniqueSlug(slugify(input.title), new Set(taken.map((r) => r.slug)));
    return this.db
      .insertInto('posts')
      .values({
        slug,
        title: input.title.trim(),
        body_html: body,
        excerpt: excerpt(text),
        reading_minutes: readingMinutes(text),
        status: 'draft',
        author_id: input.authorId,
        published_at: null,
        updated_at: new Date(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async update(id: number, input: Partial<PostInput>) {
    const current = await this.db.selectFrom('posts').selectAll().where('id', '=', id).executeTakeFirst();
    if (!current) return undefined;
    const merged: PostInput = {
      title: input.title ?? current.title,
      bodyHtml: input.bodyHtml ?? current.body_html,
      authorId: current.author_id,
    };
    validate(merged);
    const body = cleanBody(merged.bodyHtml);
    const text = stripTags(body);
    return this.db
      .updateTable('posts')
      .set({
        title: merged.title.trim(),
        body_html: body,
        excerpt: excerpt(text),
        reading_minutes: readingMinutes(text),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }

  async publish(id: number) {
    return this.db
      .updateTable('posts')
      .set({ status: 'published', published_at: new Date(), updated_at: new Date() })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .returningAll()
      .executeTakeFirst();
  }

  async bySlug(slug: string) {
    return this.db
      .selectFrom('posts')
      .selectAll()
      .where('slug', '=', slug)
      .where('status', '=', 'published')
      .executeTakeFirst();
  }

  async latest(limit = 10, before?: Date) {
    let query = this.db
      .selectFrom('posts')
      .select(['slug', 'title', 'excerpt', 'reading_minutes', 'published_at'])
      .where('status', '=', 'published')
      .orderBy('published_at', 'desc')
      .limit(Math.min(limit, 50));
    if (before) query = query.where('published_at', '<', before);
    return query.execute();
  }
}
