// npm run token -- [--org <divisionCode>] --role <ROLE> [--hours N]
// Prints a bearer token the local stack accepts (signed with data/keys.json).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from './stack.mjs';
import { loadKeys } from './keys.mjs';

const require = createRequire(join(ROOT, 'package.json'));
const { Authenticator, ROLES } = require('@rcsc/service-kit');
const { buildBranchTree, nationalId } = require('@rcsc/dataset');

let args;
try {
  args = parseArgs({
    options: {
      org: { type: 'string' },
      role: { type: 'string', default: 'ADMIN' },
      hours: { type: 'string', default: '12' },
      name: { type: 'string' },
    },
  }).values;
} catch (e) {
  console.error(`${e.message}\nusage: npm run token -- [--org <divisionCode>] --role <${ROLES.join('|')}> [--hours N]`);
  process.exit(2);
}
const role = args.role.toUpperCase();
if (!ROLES.includes(role)) {
  console.error(`--role must be one of ${ROLES.join(', ')}`);
  process.exit(2);
}
const hours = Number(args.hours);
if (!Number.isFinite(hours) || hours <= 0) {
  console.error('--hours takes a positive number');
  process.exit(2);
}
let org = nationalId();
if (args.org) {
  const branch = buildBranchTree().find((b) => b.divisionCode === args.org);
  if (!branch) {
    console.error(`no branch of the national dataset has division code ${args.org}`);
    process.exit(2);
  }
  org = branch.id;
}
const keys = loadKeys();
const auth = Authenticator.fromEnv({ ...process.env, ...keys });
const token = await auth.sign(
  {
    sub: `dev:${role.toLowerCase()}:${args.org ?? 'national'}`,
    org,
    roles: [role],
    name: args.name ?? `${role} (${args.org ?? 'national'})`,
  },
  `${hours}h`,
);
console.log(token);
