import type { Command } from '../command';
import { serveCommand } from './serve';
import { sampleCommand } from './sample';
import { importCommand } from './import';
import { exportCommand } from './export';

/** Every `deeppose` subcommand, in the order `--help` lists them. */
export const commands: Command[] = [serveCommand, sampleCommand, importCommand, exportCommand];
