// npm run seed [-- --scale default|national] [--seed N]: loads the dataset into MONGODB_URI (idempotent).
import { parseCli } from './cli.mjs';
import { loadDataset } from './stack.mjs';
import { loadKeys } from './keys.mjs';

// Parsed before anything touches a database: --help or a bad flag never loads data.
const { values } = parseCli({
  usage: 'npm run seed -- [--scale default|national] [--seed N]',
  description: 'Loads the synthetic dataset into the server at MONGODB_URI (idempotent). npm start loads the embedded one by itself.',
  options: {
    scale: { type: 'string', default: 'default', choices: ['default', 'national'], description: 'how much data' },
    seed: { type: 'string', integer: [0, 2 ** 31 - 1], description: 'random seed of the generators' },
  },
});

const uri = process.env.MONGODB_URI;
if (!uri) {
  console.error('Set MONGODB_URI to the server to load (npm start loads the embedded one by itself).');
  process.exit(2);
}
Object.assign(process.env, loadKeys());
await loadDataset(uri, { seed: values.seed === undefined ? undefined : Number(values.seed), scale: values.scale });
console.log('dataset loaded');
