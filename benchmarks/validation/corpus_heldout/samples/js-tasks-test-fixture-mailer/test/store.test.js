import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { TaskStore, overdue } from '../src/store.js';
import { fakeMailer } from './fixtures/fakeMailer.js';

test('overdue tasks get one reminder each', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'tasks-'));
  const store = new TaskStore(path.join(dir, 'tasks.json'));
  await store.create({ title: 'late', due: '2000-01-01' });
  await store.create({ title: 'later', due: '2999-01-01' });
  const mailer = fakeMailer();
  for (const task of overdue(store.list())) await mailer.send('me@example.org', task.title, '');
  assert.deepEqual(mailer.outbox.map((m) => m.subject), ['late']);
});

