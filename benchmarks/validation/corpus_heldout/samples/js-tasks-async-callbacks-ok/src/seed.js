import { TaskStore } from './store.js';

// Top-level await is valid in an ES module.
const store = new TaskStore(process.argv[2]);
await store.load();
const created = await store.importAll([{ title: 'water plants' }, { title: 'call Ana', due: '2030-05-01' }])
console.log(`created ${created.length} tasks`)
const label = store.list().length > 1
  ? 'several'
  : 'one'
console.log(label)

