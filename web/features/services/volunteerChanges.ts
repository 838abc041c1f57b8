// What the coordinator changed of a volunteer's record, as the PATCH's body: only the fields that
// differ from the record shown (lists compared as sets, windows in order), so the audit row names what
// was changed and nothing else.
import type { UpdateVolunteerInput, VolunteerState, VolunteerView } from '../../api/services.js';

type Window = VolunteerView['availability'][number];

/** The edit form's values: the record's fields as the form holds them (no organisation is null). */
export interface VolunteerEditValues {
  status: VolunteerState;
  orgId: number | null;
  partyMember: boolean;
  skills: VolunteerView['skills'];
  certifications: VolunteerView['certifications'];
  languages: VolunteerView['languages'];
  availability: Window[];
}

/** The form's starting values for a record. */
export function editValuesOf(v: VolunteerView): VolunteerEditValues {
  return {
    status: v.status,
    orgId: v.org?.id ?? null,
    partyMember: v.partyMember,
    skills: v.skills,
    certifications: v.certifications,
    languages: v.languages,
    availability: v.availability.map(({ day, from, to }) => ({ day, from, to })),
  };
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  new Set(a).size === new Set(b).size && a.every((x) => b.includes(x));

const windowsText = (ws: readonly Window[]) => JSON.stringify(ws.map(({ day, from, to }) => [day, from, to]));

/** The fields of `next` that differ from the record `v`; an empty object when nothing did. */
export function volunteerChanges(v: VolunteerView, next: VolunteerEditValues): UpdateVolunteerInput {
  const was = editValuesOf(v);
  const out: UpdateVolunteerInput = {};
  if (next.status !== was.status) out.status = next.status;
  if (next.orgId !== was.orgId) out.orgId = next.orgId;
  if (next.partyMember !== was.partyMember) out.partyMember = next.partyMember;
  if (!sameSet(next.skills, was.skills)) out.skills = next.skills;
  if (!sameSet(next.certifications, was.certifications)) out.certifications = next.certifications;
  if (!sameSet(next.languages, was.languages)) out.languages = next.languages;
  if (windowsText(next.availability) !== windowsText(was.availability)) out.availability = next.availability;
  return out;
}
