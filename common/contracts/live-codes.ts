// The live stream's constants, without zod: the web's first load imports them from here and so does
// not carry the schema library; live.ts exports them too.

/** The event a client receives when it cannot be brought up to date row by row: refetch everything. */
export const LIVE_RESET = 'reset';
/** How long a client waits before reconnecting (the stream's `retry:`). */
export const LIVE_RETRY_MS = 3000;
