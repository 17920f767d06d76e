/** Reconnect delays: exponential with "equal jitter", so clients that lost the same server spread out
 *  but none retries sooner than half its step. */
export const BACKOFF_BASE_MS = 500;
/** The longest wait between attempts: long enough to spare a struggling server, short enough that a
 *  reader who comes back to the tab is not kept waiting. */
export const BACKOFF_CAP_MS = 30_000;

export function backoffDelay(attempt: number, random: () => number): number {
  const step = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, Math.min(attempt, 16)));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(step / 2 + (step / 2) * r);
}
