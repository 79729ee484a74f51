// The `deeppose` command line: one process, no window. Each subcommand is a module in
// ./commands; bad arguments give one line on stderr and exit code 2.
import { commands } from './commands/index';
import { parseCommandArgs, UsageError } from './command';
import { STUDIO_NAME, STUDIO_VERSION } from '../core/version';
import { StudioError } from '../../src-shared/api/define';
import { diskProblemOf } from '../core/files/io-errors';

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `${STUDIO_NAME} ${STUDIO_VERSION}`,
    '',
    'Usage: deeppose <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'deeppose <command> --help' for a command's options.",
  ].join('\n');
}

export async function main(args: string[]): Promise<number> {
  // --debug (anywhere) shows the stack of unexpected errors; expected ones are always one line.
  const debug = args.includes('--debug');
  const argv = args.filter((a) => a !== '--debug');
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(overview());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    console.log(STUDIO_VERSION);
    return 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    console.error(`deeppose: unknown command '${name}' (see 'deeppose --help')`);
    return 2;
  }
  try {
    const command = await entry.load();
    const { values, positionals } = parseCommandArgs(command, rest);
    if (values.help) {
      console.log(`${command.usage}\n\n${entry.summary}`);
      if (command.liveHelp) console.log(`\n${await command.liveHelp()}`);
      return 0;
    }
    return await command.run(values, positionals);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`deeppose ${entry.name}: ${error.message} (see 'deeppose ${entry.name} --help')`);
      return 2;
    }
    if (error instanceof StudioError) {
      console.error(`deeppose ${entry.name}: ${error.message}`);
      return 1;
    }
    const disk = diskProblemOf(error);
    if (disk && !debug) {
      console.error(`deeppose ${entry.name}: ${pathOf(error) ?? 'cannot write'}: ${disk}`);
      return 1;
    }
    console.error(
      `deeppose ${entry.name}: ${debug ? ((error as Error).stack ?? error) : `${(error as Error).message ?? error} (run again with --debug for details)`}`,
    );
    return 1;
  }
}

/** The file a Node I/O error was about, if it says. */
function pathOf(error: unknown): string | null {
  const { path, dest } = error as { path?: unknown; dest?: unknown };
  return typeof dest === 'string' ? dest : typeof path === 'string' ? path : null;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
