import { parseArgs } from 'node:util';

/** One flag of a command-line tool: node:util parseArgs' option plus what the help and the checks need. */
export interface CliOption {
  type: 'string' | 'boolean';
  short?: string;
  default?: string | boolean;
  description: string;
  /** The only values accepted (compared case-insensitively; the value comes back lower case). */
  choices?: readonly string[];
  /** A whole number in [min, max]. */
  integer?: readonly [number, number];
  /** A number (not necessarily whole) in [min, max]. */
  number?: readonly [number, number];
}

export interface CliSpec {
  /** First line of the help, e.g. "npm run seed -- [--scale default|national]". */
  usage: string;
  /** What the tool does, printed under the usage by --help. */
  description?: string;
  options: Record<string, CliOption>;
  /** How many positional arguments are accepted (default none). */
  positionals?: { min: number; max: number; names: string };
  argv?: string[];
}

export interface CliResult {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** The --help text: usage, description and one line per flag. */
export function cliHelp(spec: CliSpec): string {
  const lines = [`usage: ${spec.usage}`];
  if (spec.description) lines.push('', spec.description);
  lines.push('', 'options:');
  const flags = Object.entries(spec.options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ' <value>' : ''}`;
    const extra = [
      o.choices ? `one of ${o.choices.join(', ')}` : '',
      o.integer ? `a whole number ${o.integer[0]}-${o.integer[1]}` : '',
      o.number ? `a number ${o.number[0]}-${o.number[1]}` : '',
      o.default !== undefined && o.default !== false ? `default ${String(o.default)}` : '',
    ].filter(Boolean);
    return [flag, `${o.description}${extra.length ? ` (${extra.join('; ')})` : ''}`] as const;
  });
  flags.push(['-h, --help', 'this help']);
  const width = Math.max(...flags.map(([f]) => f.length)) + 2;
  for (const [f, d] of flags) lines.push(`  ${f.padEnd(width)}${d}`);
  return lines.join('\n') + '\n';
}

/** Why the arguments are refused, or null when they are fine (the checks parseArgs does not do). */
function check(spec: CliSpec, values: CliResult['values'], positionals: string[]): string | null {
  for (const [name, o] of Object.entries(spec.options)) {
    const v = values[name];
    if (typeof v !== 'string') continue;
    if (o.choices) {
      const lower = v.toLowerCase();
      if (!o.choices.includes(lower)) return `--${name} takes ${o.choices.join(' or ')}, not "${v}"`;
      values[name] = lower;
    }
    const range = o.integer ?? o.number;
    if (range) {
      const n = Number(v);
      const ok = v.trim() !== '' && Number.isFinite(n) && (!o.integer || Number.isInteger(n)) && n >= range[0] && n <= range[1];
      if (!ok) return `--${name} takes ${o.integer ? 'a whole number' : 'a number'} from ${range[0]} to ${range[1]}, not "${v}"`;
    }
  }
  const p = spec.positionals ?? { min: 0, max: 0, names: '' };
  if (positionals.length > p.max) return `unexpected argument "${positionals[p.max]}"`;
  if (positionals.length < p.min) return `missing ${p.names}`;
  return null;
}

/**
 * Parses a tool's arguments with node:util parseArgs in strict mode: --help prints the help on
 * stdout and exits 0; an unknown flag, a missing value, a value not among the choices or out of
 * range prints the reason and the usage on stderr and exits 2 (before the tool does anything).
 */
export function parseCli(spec: CliSpec): CliResult {
  const options = Object.fromEntries(
    Object.entries(spec.options).map(([name, o]) => [
      name,
      { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.default !== undefined ? { default: o.default } : {}) },
    ]),
  );
  let parsed: CliResult;
  try {
    const r = parseArgs({
      args: spec.argv ?? process.argv.slice(2),
      options: { ...options, help: { type: 'boolean', short: 'h' } } as never,
      strict: true,
      allowPositionals: (spec.positionals?.max ?? 0) > 0,
    });
    parsed = { values: r.values as CliResult['values'], positionals: r.positionals };
  } catch (err) {
    return fail(spec, (err as Error).message);
  }
  if (parsed.values.help) {
    process.stdout.write(cliHelp(spec));
    process.exit(0);
  }
  delete parsed.values.help;
  const problem = check(spec, parsed.values, parsed.positionals);
  return problem ? fail(spec, problem) : parsed;
}

function fail(spec: CliSpec, message: string): never {
  process.stderr.write(`${message}\nusage: ${spec.usage} (--help for more)\n`);
  process.exit(2);
}
