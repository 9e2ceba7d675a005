// npm run seed [-- --seed N]: loads the national dataset into MONGODB_URI (idempotent).
import { loadDataset } from './stack.mjs';

const uri = process.env.MONGODB_URI;
if (!uri) {
  console.error('Set MONGODB_URI to the server to load (npm start loads the embedded one by itself).');
  process.exit(2);
}
const i = process.argv.indexOf('--seed');
const seed = i > 0 ? Number(process.argv[i + 1]) : undefined;
if (seed !== undefined && !Number.isInteger(seed)) {
  console.error('--seed takes a whole number');
  process.exit(2);
}
await loadDataset(uri, { seed });
console.log('dataset loaded');
