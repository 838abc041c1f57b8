// The registration form's pure parts: the draft a checkpoint fills in, its checks (the shared
// validators: parsePlate, parseIdNumber, normalizePhone), the body it becomes, what a plate or ID
// seen before fills in, and the checkpoint of the caller's shift. Unit-tested in passageForm.unit.test.ts.
import type { NoIdReason } from '../../api/people.js';
import type { MyShiftsResponse } from '../../../common/contracts/defence.js';
import type {
  CreatePassageInput,
  PassageDirection,
  RecallResponse,
  RegionView,
  VehicleType,
} from '../../api/passages.js';
import {
  normalizePhone,
  parseIdNumber,
  parsePlate,
  PLATE_PROVINCES,
  type CheckReason,
  type PlateReason,
} from '../../../common/validators.js';

/** The province characters of the quick picker: the district's own (浙) first, then its neighbours. */
const NEAR = '浙沪苏皖赣闽';
export const PLATE_QUICK_PICKS: readonly string[] = [
  ...NEAR,
  ...[...PLATE_PROVINCES].filter((c) => !NEAR.includes(c)),
  '使',
];

/** What a recalled traveller showed last time (masked), kept beside the row as a hint. */
export interface RecalledPerson {
  idNumber: string | null;
  phone: string | null;
  /** The contract's token to register the same traveller without the number (not sendable yet). */
  recallToken: string;
}

export interface PersonRow {
  /** The row's own key in the page (not sent). */
  uid: string;
  name: string;
  idNumber: string;
  phone: string;
  noIdReason: NoIdReason | null;
  keyRegion14d: boolean;
  caseContact: boolean;
  /** As typed: "36.5", or "365" for 36.5. */
  temperature: string;
  recalled?: RecalledPerson;
}

export type Destination =
  { kind: 'node'; id: number; name: string } | { kind: 'region'; region: RegionView } | null;

export interface PassageDraft {
  checkpointId?: number;
  direction: PassageDirection;
  plate: string;
  vehicleType: VehicleType | null;
  people: PersonRow[];
  origin: RegionView | null;
  destination: Destination;
  purpose: string;
}

export function newRow(uid: string): PersonRow {
  return {
    uid,
    name: '',
    idNumber: '',
    phone: '',
    noIdReason: null,
    keyRegion14d: false,
    caseContact: false,
    temperature: '',
  };
}

/** A fresh draft: the same checkpoint and direction as the one before (a post registers one way for a while). */
export function newDraft(uid: string, keep?: Pick<PassageDraft, 'checkpointId' | 'direction'>): PassageDraft {
  return {
    checkpointId: keep?.checkpointId,
    direction: keep?.direction ?? 'in',
    plate: '',
    vehicleType: 'car',
    people: [newRow(uid)],
    origin: null,
    destination: null,
    purpose: '',
  };
}

/**
 * A temperature as typed at a roadside: "36.5", "36,5", or three digits without the point ("365" is
 * 36.5). Empty is undefined; anything else outside 30–45 °C is NaN (the contract's range).
 */
export function parseTemperature(input: string): number | undefined {
  const s = input.trim().replace(',', '.');
  if (s === '') return undefined;
  const v = /^\d{3}$/.test(s) ? Number(s) / 10 : Number(s);
  return Number.isFinite(v) && v >= 30 && v <= 45 ? Math.round(v * 10) / 10 : Number.NaN;
}

/** A field's fault, as a message code of common/messages (with its parameters) or a page text key. */
export type Fault =
  | { code: PlateReason | CheckReason; params?: Readonly<Record<string, string>> }
  | { text: 'required' | 'temperature' | 'checkpoint' }
  /** An issue the server named, in its words (already in the UI's language). */
  | { text: 'server'; message: string };

/** The draft's faults by field path (`plate`, `people.1.idNumber`, …), the server's issue paths. */
export function checkDraft(d: PassageDraft, today: string): Record<string, Fault> {
  const out: Record<string, Fault> = {};
  if (d.checkpointId === undefined) out.checkpointId = { text: 'checkpoint' };
  const plate = d.plate.trim();
  if (plate) {
    const r = parsePlate(plate);
    if (!r.ok) out.plate = r.params ? { code: r.reason, params: r.params } : { code: r.reason };
  }
  d.people.forEach((p, i) => {
    if (!p.name.trim()) out[`people.${i}.name`] = { text: 'required' };
    if (p.idNumber.trim()) {
      const r = parseIdNumber(p.idNumber, today);
      if (!r.ok) out[`people.${i}.idNumber`] = { code: r.reason };
    }
    if (p.phone.trim()) {
      const r = normalizePhone(p.phone);
      if (!r.ok) out[`people.${i}.phone`] = { code: r.reason };
    }
    if (Number.isNaN(parseTemperature(p.temperature) ?? 0))
      out[`people.${i}.answers.temperature`] = { text: 'temperature' };
  });
  return out;
}

/** One field's fault while typing: an ID number is checked once all 18 (or 15) characters are in. */
export function liveIdFault(input: string, today: string): Fault | null {
  const s = input.trim();
  if (s.length < 15 || (s.length > 15 && s.length < 18)) return null;
  const r = parseIdNumber(s, today);
  return r.ok ? null : { code: r.reason };
}

/** The plate's fault while typing: none until the province and the letter are in. */
export function livePlateFault(input: string): Fault | null {
  const s = input.trim();
  if ([...s].length < 2) return null;
  const r = parsePlate(s);
  if (r.ok) return null;
  // Still typing: too short is not a fault yet.
  if (r.reason === 'plate.wrong_length' && [...s.replace(/[\s·•]/g, '')].length < 7) return null;
  return r.params ? { code: r.reason, params: r.params } : { code: r.reason };
}

const orNull = (s: string): string | null => {
  const v = s.trim();
  return v ? v : null;
};

/** The draft as `POST /api/passages` takes it (the outbox adds `registeredAt`). Check it first. */
export function toBody(d: PassageDraft, checkpointId: number): CreatePassageInput {
  const plate = d.plate.trim();
  const parsed = plate ? parsePlate(plate) : null;
  return {
    checkpointId,
    direction: d.direction,
    plate: parsed?.ok ? parsed.value.value : orNull(plate),
    vehicleType: d.vehicleType,
    people: d.people.map((p) => {
      const idNumber = orNull(p.idNumber);
      const temperature = parseTemperature(p.temperature);
      // A recalled traveller whose ID number was not retyped is registered with the numbers as stored.
      const recallToken = p.recalled && !idNumber ? p.recalled.recallToken : undefined;
      return {
        name: p.name.trim(),
        idNumber,
        noIdReason: idNumber || recallToken ? null : p.noIdReason,
        phone: orNull(p.phone),
        ...(recallToken ? { recallToken } : {}),
        answers: {
          keyRegion14d: p.keyRegion14d,
          caseContact: p.caseContact,
          ...(temperature !== undefined && !Number.isNaN(temperature) ? { temperature } : {}),
        },
      };
    }),
    originRegion: d.origin?.code ?? null,
    destinationNodeId: d.destination?.kind === 'node' ? d.destination.id : null,
    destinationRegion: d.destination?.kind === 'region' ? d.destination.region.code : null,
    purpose: orNull(d.purpose),
  };
}

/** Whether a traveller's answers make them look risky here (the server decides by the command's rules). */
export function looksRisky(p: PersonRow, feverAt = 37.3): boolean {
  const t = parseTemperature(p.temperature);
  return p.keyRegion14d || p.caseContact || (t !== undefined && !Number.isNaN(t) && t >= feverAt);
}

/**
 * What a plate seen before fills in: the vehicle type (this plate's, over the default), the travellers
 * last seen with it (names, with their masked numbers as hints) when no traveller has been typed yet,
 * and where it came from and went when those are still empty.
 */
export function applyPlateRecall(d: PassageDraft, r: RecallResponse, uid: () => string): PassageDraft {
  const untouched = d.people.every((p) => !p.name.trim() && !p.idNumber.trim() && !p.phone.trim());
  const people =
    untouched && r.people.length > 0
      ? r.people.map((p, i) => ({
          // The first row keeps its key: the field being typed in stays mounted, with the focus.
          ...newRow(i === 0 && d.people[0] ? d.people[0].uid : uid()),
          name: p.name,
          recalled: { idNumber: p.idNumber, phone: p.phone, recallToken: p.recallToken },
        }))
      : d.people;
  return {
    ...d,
    vehicleType: r.vehicleType ?? d.vehicleType,
    people,
    origin: d.origin ?? r.originRegion,
    destination:
      d.destination ??
      (r.destinationNode ? { kind: 'node', id: r.destinationNode.id, name: r.destinationNode.name } : null),
  };
}

/** What an ID number seen before fills in on its row: the name when still empty, the rest as hints. */
export function applyIdRecall(d: PassageDraft, index: number, r: RecallResponse): PassageDraft {
  const seen = r.people[0];
  const row = d.people[index];
  if (!seen || !row) return d;
  const people = d.people.map((p, i) =>
    i === index
      ? {
          ...p,
          name: p.name.trim() ? p.name : seen.name,
          recalled: { idNumber: seen.idNumber, phone: seen.phone, recallToken: seen.recallToken },
        }
      : p,
  );
  return {
    ...d,
    people,
    origin: d.origin ?? r.originRegion,
    destination:
      d.destination ??
      (r.destinationNode ? { kind: 'node', id: r.destinationNode.id, name: r.destinationNode.name } : null),
  };
}

/**
 * The checkpoint of the caller's shift from `GET /api/shifts/mine`: the current one (running, its
 * check-in window open, or checked in and not out), else the next to start within two hours; null
 * when none fits or the answer has not come.
 */
export function checkpointOfShift(
  data: MyShiftsResponse | undefined,
  now: Date,
): { id: number; name: string } | null {
  if (!data) return null;
  if (data.current) return { id: data.current.checkpoint.id, name: data.current.checkpoint.name };
  const t = now.getTime();
  const soon = data.upcoming
    .filter((s) => Date.parse(s.startsAt) > t && Date.parse(s.startsAt) - t <= 2 * 3600_000)
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt))[0];
  return soon ? { id: soon.checkpoint.id, name: soon.checkpoint.name } : null;
}

/** The input of a fault's path (`plate`, `people.1.idNumber`…), as the form's ids name them. */
export function fieldId(path: string): string | undefined {
  if (path === 'plate') return 'passage-plate';
  if (path === 'checkpointId') return 'passage-checkpoint-select';
  if (path === 'purpose') return 'passage-purpose';
  if (path === 'originRegion') return 'passage-origin';
  const m = /^people\.(\d+)\.(name|idNumber|phone|answers\.temperature)$/.exec(path);
  if (!m) return undefined;
  const field = { name: 'name', idNumber: 'id', phone: 'phone', 'answers.temperature': 'temp' }[m[2]!];
  return `passage-person-${m[1]}-${field}`;
}
