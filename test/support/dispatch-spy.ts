// Loaded with `node --import tsx --import ./test/support/dispatch-spy.ts src-main/cli/index.ts …`:
// wraps the dispatcher of every studio the CLI opens (it announces each on the 'deeppose:cli-studio'
// diagnostics channel) and appends one line per call, `<name> <ok|kind>`, to $DISPATCH_SPY_LOG.
import { appendFileSync } from 'node:fs';
import { subscribe } from 'node:diagnostics_channel';
import type { Studio } from '../../src-main/core/studio';

const log = process.env.DISPATCH_SPY_LOG;
if (!log) throw new Error('dispatch-spy: set DISPATCH_SPY_LOG to the file the calls are written to');

subscribe('deeppose:cli-studio', (message) => {
  const studio = message as { dispatch: Studio['dispatch'] };
  const dispatch = studio.dispatch;
  studio.dispatch = async (name, input) => {
    const reply = await dispatch(name, input);
    appendFileSync(log, `${String(name)} ${reply.ok ? 'ok' : reply.error.kind}\n`);
    return reply;
  };
});
