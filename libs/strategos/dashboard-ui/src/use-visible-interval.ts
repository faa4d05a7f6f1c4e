import { useEffect, useRef } from 'preact/hooks';

/**
 * Calls `tick` every `intervalMs` while the page is visible, and once as soon as it becomes visible again: a tab in
 * the background costs the server nothing, and a tab brought back shows the current state at once.
 */
export function useVisibleInterval(tick: () => void, intervalMs: number): void {
  // The latest callback, so that a new closure on every render does not restart the interval.
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    let timer: number | undefined;
    const start = () => {
      timer ??= window.setInterval(() => latest.current(), intervalMs);
    };
    const stop = () => {
      window.clearInterval(timer);
      timer = undefined;
    };
    const onVisibilityChange = () => {
      if (document.visibilityState !== 'visible') return stop();
      latest.current();
      start();
    };
    if (document.visibilityState === 'visible') start();
    document.addEventListener('visibilitychange', onVisibilityChange);
    return () => {
      stop();
      document.removeEventListener('visibilitychange', onVisibilityChange);
    };
  }, [intervalMs]);
}
