/**
 * Clean stops of the long-running commands (`aduan serve`, `aduan worker`, `aduan smtp`) on SIGINT or SIGTERM.
 *
 * One Ctrl-C delivers SIGINT more than once: the terminal signals the whole foreground group (npm, the tsx
 * launcher and node), and npm and tsx relay it to their child as well. With a one-shot listener the second SIGINT
 * found none left and killed the process in the middle of its shutdown: the embedded database was not closed and
 * `aduan.lock` stayed behind. The listener therefore stays for the whole shutdown and ignores the repeats.
 */
import { loggableErrorText } from '../integrations/error-log.ts';

/** Runs `stop` once, on the first SIGINT or SIGTERM; a failed stop is printed and exits 1. */
export function stopOnSignals(stop: (signal: NodeJS.Signals) => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    stop(signal).catch((e: unknown) => {
      console.error(`aduan: shutdown failed: ${loggableErrorText(e)}`);
      process.exit(1);
    });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
