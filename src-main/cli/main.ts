// The `deeppose` command line: one process, no window. Each subcommand is a module in
// ./commands that reaches the core through the studio's dispatcher (./studio-client.ts); bad
// arguments give one line on stderr and exit code 2, a refused or failed call one line and 1.
import { commands } from './commands/index';
import { parseCommandArgs, UsageError } from './command';
import { STUDIO_NAME, STUDIO_VERSION } from '../core/version';
import { ApiError, StudioError } from '../../src-shared/api/define';
import { showInternalStacks } from './studio-client';

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
  showInternalStacks(debug);
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
    // What the core answered: its message is the one line (an unexpected one hints at --debug, which shows its stack).
    if (error instanceof ApiError) {
      const hint = error.kind === 'internal' && !debug ? ' (run again with --debug for details)' : '';
      console.error(`deeppose ${entry.name}: ${error.message}${hint}`);
      return 1;
    }
    if (error instanceof StudioError) {
      console.error(`deeppose ${entry.name}: ${error.message}`);
      return 1;
    }
    console.error(
      `deeppose ${entry.name}: ${debug ? ((error as Error).stack ?? error) : `${(error as Error).message ?? error} (run again with --debug for details)`}`,
    );
    return 1;
  }
}
