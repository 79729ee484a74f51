// The backends of this machine as `deeppose train --help` and `deeppose bench --help` list
// them: 'training.backends', the same probe as the Train view (GPU backends loaded for real in a
// child process).
import { withStudio } from './studio-client';

export async function backendsHelp(): Promise<string> {
  const rows = await withStudio(undefined, (studio) => studio.call('training.backends', {}));
  const width = Math.max(...rows.map((r) => r.name.length));
  return [
    'Backends on this machine, fastest first (each probed: it loads and runs a tiny kernel; --backend auto takes the first that runs):',
    ...rows.map(
      (r) => `  ${r.name.padEnd(width)}  ${r.preferred ? 'auto' : r.available ? 'yes ' : 'no  '}  ${r.reason}`,
    ),
  ].join('\n');
}
