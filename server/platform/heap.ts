// How far V8's heap may grow between full collections. By default V8 lets the old generation grow
// to up to four times what the last full collection left live before it collects again: a server
// with about 110 MB live during a 160,000-row people import reached 450 MB of heap, almost all of it
// garbage, and 680 MB resident (ADR 0009). Growing by half of what is live keeps the heap near what
// is in use, for more frequent full collections (in that import: about a dozen more, ten to a few
// tens of milliseconds each, mostly incremental). Nothing is capped: a server that needs more
// memory still gets it.
import v8 from 'node:v8';

/** The old generation may grow to 1.5 times what the last full collection left live. */
export const HEAP_GROWING_PERCENT = 50;

/**
 * Sets the growth for this process. Called once at start, before the app does any work (server/main.ts,
 * and the bench's servers, which run as `npm start` runs the app). V8 reads the flag each time it sets
 * the next collection's limit, so setting it at run time takes effect (measured on Node 20: the same
 * peak as the command-line flag).
 */
export function boundHeapGrowth(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
