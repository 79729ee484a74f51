// Starts the built `deeppose serve` as a real child process and reads the URL it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fixturesDir, repoRoot } from './paths';

export interface ServeProcess {
  url: string;
  origin: string;
  token: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startServe(home: string, extraEnv: Record<string, string> = {}): Promise<ServeProcess> {
  // The browser may name only --allow roots (default: HOME): the test's temp folder and the
  // fixtures, unless the test sets HOME to its own, when the default is what it tests.
  const allow = extraEnv.HOME ? [] : [dirname(home), fixturesDir].flatMap((dir) => ['--allow', dir]);
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'deeppose.js'), 'serve', '--home', home, ...allow], {
    cwd: repoRoot,
    env: { ...process.env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token')!,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
