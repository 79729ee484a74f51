// A worker job the terminal can interrupt: Ctrl-C asks the job to stop (it ends at its next
// item, writing nothing), and the command learns that it was interrupted.
export async function untilDoneOrInterrupted<End>(handle: {
  stop(): void;
  done: Promise<End>;
}): Promise<{ end: End; interrupted: boolean }> {
  let interrupted = false;
  const interrupt = () => {
    interrupted = true;
    handle.stop();
  };
  process.once('SIGINT', interrupt);
  const end = await handle.done.finally(() => process.off('SIGINT', interrupt));
  return { end, interrupted };
}
