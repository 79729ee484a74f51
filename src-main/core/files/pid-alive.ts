// Whether a process id names a running process on this host. A pid from another machine
// cannot be asked, so callers decide what an unknown host means.

export function pidRunsHere(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
