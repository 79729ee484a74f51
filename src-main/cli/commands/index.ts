import type { Command } from '../command';
import { serveCommand } from './serve';
import { sampleCommand } from './sample';
import { importCommand } from './import';
import { exportCommand } from './export';
import { benchCommand } from './bench';
import { trainCommand } from './train';
import { predictCommand } from './predict';
import { demoCommand } from './demo';
import { exportModelCommand } from './export-model';

/** Every `deeppose` subcommand, in the order `--help` lists them. */
export const commands: Command[] = [demoCommand, serveCommand, sampleCommand, importCommand, exportCommand, trainCommand, predictCommand, exportModelCommand, benchCommand];
