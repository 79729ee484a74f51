import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A `deeppose` subcommand as listed: its module is loaded only to run it. */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

/** What a subcommand's module provides. `run` returns the exit code. */
export interface Command {
  usage: string;
  /** Help that must look at the machine (the backends a probe finds), printed after `usage`. */
  liveHelp?(): Promise<string>;
  options: NonNullable<ParseArgsConfig['options']>;
  run(
    values: Record<string, string | boolean | string[] | boolean[] | undefined>,
    positionals: string[],
  ): Promise<number>;
}

/** A mistake in how the command was called: printed as one line on stderr, exit 2. */
export class UsageError extends Error {}

/**
 * `--epochs -5` as `--epochs=-5`: parseArgs reads a value starting with a dash as a missing one
 * (three lines about an ambiguous argument); a negative number after a value option is that
 * option's value, so the setting's own check answers in one line.
 */
function joinNegativeValues(command: Command, argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') && !argv[i].includes('=') ? argv[i].slice(2) : null;
    if (name && command.options[name]?.type === 'string' && /^-\d/.test(argv[i + 1] ?? ''))
      out.push(`${argv[i]}=${argv[++i]}`);
    else out.push(argv[i]);
  }
  return out;
}

export function parseCommandArgs(command: Command, argv: string[]) {
  try {
    return parseArgs({
      args: joinNegativeValues(command, argv),
      options: { help: { type: 'boolean', short: 'h' }, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // Node's messages run to several lines; a usage error is one.
    throw new UsageError((error as Error).message.split('\n').join(' '));
  }
}

export function requireString(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`missing --${name}`);
  return value;
}

export function optionalNumber(values: Record<string, unknown>, name: string): number | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n))
    throw new UsageError(`--${name} must be a number, got '${String(value)}'`);
  return n;
}
