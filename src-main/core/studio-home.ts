import { homedir } from 'node:os';
import { join } from 'node:path';

/** The studio's own state (recent projects, thumbnail cache, demo projects): DEEPPOSE_HOME or ~/.deeppose-studio. */
export function defaultHome(): string {
  return process.env.DEEPPOSE_HOME ?? join(homedir(), '.deeppose-studio');
}
