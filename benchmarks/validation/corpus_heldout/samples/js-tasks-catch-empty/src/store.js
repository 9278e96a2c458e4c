import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';

const DATA_FILE = process.env.TASKS_FILE ?? path.join(process.cwd(), 'tasks.json');

export class ValidationError extends Error {
  constructor(message, field) {
    super(message);
    this.name = 'ValidationError';
    this.field = field;
  }
}

export class NotFoundError extends Error {
  constructor(id) {
    super(`no task with id ${id}`);
    this.name = 'NotFoundError';
  }
}

export function validateTask(input) {
  if (typeof input !== 'object' || input === null) {
    throw new ValidationError('body must be an object', null);
  }
  const title = String(input.title ?? '').trim();
  if (!title) throw new ValidationError('title is required', 'title');
  if (title.length > 200) throw new ValidationError('title is too long', 'title');
  const due = input.due ? new Date(input.due) : null;
  if (due && Number.isNaN(due.getTime())) {
    throw new ValidationError('due is not a date', 'due');
  }
  return { title, due: due ? due.toISOString() : null, done: Boolean(input.done) };
}

export class TaskStore {
  #tasks = new Map();
  #file;

  constructor(file = DATA_FILE) {
    this.#file = file;
  }

  async load() {
    let text;
    try {
      text = await readFile(this.#file, 'utf8');
    } catch (err) {
      if (err.code === 'ENOENT') return 0;
      throw err;
    }
    for (const task of JSON.parse(text)) this.#tasks.set(task.id, task);
    return this.#tasks.size;
  }

  async save() {
    const tmp = `${this.#file}.tmp`;
    await writeFile(tmp, JSON.stringify([...this.#tasks.values()], null, 2));
    await rename(tmp, this.#file);
  }

  list({ done } = {}) {
    const all = [...this.#tasks.values()];
    const picked = done === undefined ? all : all.filter((t) => t.done === done);
    return picked.sort((a, b) => (a.due ?? '9999').localeCompare(b.due ?? '9999'));
  }

  get(id) {
    const task = this.#tasks.get(id);
    if (!task) throw new NotFoundError(id);
    return task;
  }

  async create(input) {
    const task = { id: randomUUID(), createdAt: new Date().toISOString(), ...validateTask(input) };
    this.#tasks.set(task.id, task);
    await this.save();
    return task;
  }

  async update(id, patch) {
    const current = this.get(id);
    const next = { ...current, ...validateTask({ ...current, ...patch }) };
    this.#tasks.set(id, next);
    await this.save();
    return next;
  }

  async remove(id) {
    this.get(id);
    this.#tasks.delete(id);
    await this.save();
  }

  async complete(ids) {
    const done = [];
    for (const id of ids) {
      const task = await this.update(id, { done: true })
        .catch(() => {});
      if (task) done.push(task);
    }
    return done;
  }
}

export function overdue(tasks, now = new Date()) {
  return tasks.filter((t) => !t.done && t.due !== null && new Date(t.due) < now);
}
