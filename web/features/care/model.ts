// Psychological care's pure parts: the countdown to an alert's deadline, the answers of a scale in
// its items' order (from a kept draft), whether every scored item is answered, and which items raised
// a crisis flag. No React here, so unit tests run in Node.

/** A scale's definition as far as these need it (the contract's, or common/care-scales.ts's). */
interface Definition {
  items: readonly { key: string; scored: boolean }[];
}
type Answers = (number | null)[];

/** `m:ss` (or `h:mm:ss` from an hour) of a length of time, whole seconds rounded up. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** How long is left to acknowledge an alert by `ackBy`, or how late it is once past. */
export function countdown(ackBy: string, now: number): { late: boolean; text: string } {
  const left = Date.parse(ackBy) - now;
  if (Number.isNaN(left)) return { late: false, text: '' };
  return left > 0 ? { late: false, text: clock(left) } : { late: true, text: clock(-left) };
}

/** The answers to show: the kept draft's, one per item (missing or extra ones made even), else none. */
export function answersFrom(def: Definition, draft: readonly (number | null)[] | null | undefined): Answers {
  return def.items.map((_, i) => {
    const v = draft?.[i];
    return typeof v === 'number' ? v : null;
  });
}

/** Every scored item answered: the scale may be submitted (an unscored one is optional). */
export function complete(def: Definition, answers: readonly (number | null)[]): boolean {
  return def.items.every((it, i) => !it.scored || typeof answers[i] === 'number');
}

/** How many scored items are answered, and how many there are. */
export function progress(def: Definition, answers: readonly (number | null)[]): { done: number; of: number } {
  let done = 0;
  let of = 0;
  def.items.forEach((it, i) => {
    if (!it.scored) return;
    of++;
    if (typeof answers[i] === 'number') done++;
  });
  return { done, of };
}

/** The keys of the items whose answer raised a crisis flag. */
export function crisisItemKeys(reasons: readonly { kind: string; key?: string | undefined }[]): Set<string> {
  return new Set(reasons.filter((r) => r.kind === 'item' && r.key !== undefined).map((r) => r.key!));
}
