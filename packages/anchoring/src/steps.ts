/**
 * Long computations are written as generators that `yield` between bounded pieces of work, so that
 * anchorAllYielding() can give the event loop back between them; the synchronous API runs the same
 * generators straight through with finish().
 */

/** Runs a step generator to its end and returns its result. */
export function finish<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
