/** Set once stdout turned out to be a closed pipe: nothing more is written to it. */
let broken = false;
let watching = false;

/**
 * Writes a line to stdout, the default logger's output. When stdout is a pipe whose reader
 * went away (`EPIPE`: `node service.js | head`, a log shipper that died), the lines are dropped
 * from then on, instead of the unhandled stream error ending the process. Other stdout errors
 * are thrown as before.
 */
export const writeStdoutLine = (line: string): void => {
  if (broken) return;
  if (!watching) {
    watching = true;
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error?.code !== 'EPIPE') throw error;
      broken = true;
    });
  }
  process.stdout.write(line + '\n');
};
