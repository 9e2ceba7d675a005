// npm run seed [-- --scale default|national] [--seed N]: loads the national dataset into MONGODB_URI (idempotent).
import { loadDataset } from './stack.mjs';
import { loadKeys } from './keys.mjs';

Object.assign(process.env, loadKeys());

const uri = process.env.MONGODB_URI;
if (!uri) {
  console.error('Set MONGODB_URI to the server to load (npm start loads the embedded one by itself).');
  process.exit(2);
}
const si = process.argv.indexOf('--scale');
const scale = si > 0 ? process.argv[si + 1] : 'default';
if (!['default', 'national'].includes(scale)) {
  console.error('--scale takes default or national');
  process.exit(2);
}
const i = process.argv.indexOf('--seed');
const seed = i > 0 ? Number(process.argv[i + 1]) : undefined;
if (seed !== undefined && !Number.isInteger(seed)) {
  console.error('--seed takes a whole number');
  process.exit(2);
}
await loadDataset(uri, { seed, scale });
console.log('dataset loaded');
