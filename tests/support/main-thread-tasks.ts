/**
 * How long a page's main thread worked, read from a Chromium trace. A long task is measured in
 * wall time, and on the two busy cores of a CI machine the OS deschedules a renderer for much of
 * a task: the Code of Criminal Procedure's own first layout took 293 ms of wall time and 92 ms of
 * its thread's CPU, one of the widget's 8 ms slices 51 ms against 5. The thread's CPU time is
 * what the page's own code and the browser's work for it cost; it is what a reader's machine
 * that is not also running a test suite would see as the task's length.
 */
import type { Browser, Page } from "playwright-core";

/** Categories that record every main-thread task with its CPU time, and the page's marks. */
const CATEGORIES = ["toplevel", "blink.user_timing"];

export interface MainThreadTask {
  /** Milliseconds after the mark. */
  start: number;
  wall: number;
  cpu: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
}

/** Starts recording; the page's tasks are read by tasksAfterMark once it is stopped. */
export function startTaskTrace(browser: Browser, page: Page): Promise<void> {
  return browser.startTracing(page, { categories: CATEGORIES });
}

/**
 * The tasks the main thread of the page that made `mark` (performance.mark, with any start time)
 * began at or after the mark's time.
 */
export function tasksAfterMark(trace: Buffer | string, mark: string): MainThreadTask[] {
  const parsed = JSON.parse(String(trace)) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const at = events.find((e) => e.name === mark);
  if (!at) throw new Error(`the trace has no mark ${mark}: was it made before tracing stopped?`);
  return events
    .filter(
      (e) =>
        e.name === "ThreadControllerImpl::RunTask" &&
        e.ph === "X" &&
        e.pid === at.pid &&
        e.tid === at.tid &&
        e.ts >= at.ts,
    )
    .map((e) => ({
      start: Math.round((e.ts - at.ts) / 100) / 10,
      wall: Math.round((e.dur ?? 0) / 100) / 10,
      cpu: Math.round((e.tdur ?? e.dur ?? 0) / 100) / 10,
    }));
}
