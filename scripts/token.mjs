// npm run token -- [--org <divisionCode>] --role <ROLE> [--hours N]
// Prints a bearer token the local stack accepts (signed with data/keys.json).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './root.mjs';
import { loadKeys } from './keys.mjs';
import { parseCli } from './cli.mjs';

const require = createRequire(join(ROOT, 'package.json'));
const { Authenticator, ROLES } = require('@rcsc/service-kit');
const { buildBranchTree, nationalId } = require('@rcsc/dataset');

const { values: args } = parseCli({
  usage: `npm run -s token -- [--org <divisionCode>] [--role <${ROLES.join('|')}>] [--hours N] [--name <text>]`,
  description: 'Prints a bearer token the local stack accepts (signed with data/keys.json), and nothing else, on stdout.',
  options: {
    org: { type: 'string', description: "the branch's six-digit division code (default: the national headquarters)" },
    role: { type: 'string', default: 'ADMIN', description: `one of ${ROLES.join(', ')}` },
    hours: { type: 'string', default: '12', number: [0.01, 24 * 366], description: 'lifetime' },
    name: { type: 'string', description: 'display name in the token' },
  },
});
const role = args.role.toUpperCase();
if (!ROLES.includes(role)) {
  console.error(`--role must be one of ${ROLES.join(', ')}`);
  process.exit(2);
}
const hours = Number(args.hours);
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
