// The edit of a volunteer sends only what changed: lists as sets, windows in order.
import { describe, expect, it } from 'vitest';
import type { VolunteerView } from '../../api/services.js';
import { editValuesOf, volunteerChanges } from './volunteerChanges.js';

const record: VolunteerView = {
  id: 7,
  name: '王芳',
  org: { id: 3, name: '寸草心' },
  home: { id: 40, name: '一网格' },
  partyMember: false,
  skills: ['meal_delivery', 'shopping'],
  certifications: ['first_aid'],
  languages: ['mandarin'],
  availability: [{ day: 1, from: '08:30', to: '11:30' }],
  status: 'active',
  joinedVia: 'coordinator',
  consentAt: '2026-12-01T00:00:00.000Z',
  hasAccount: true,
  hours: 3,
  noShows: 0,
  abilities: { update: true, certificate: true },
};

describe('volunteerChanges', () => {
  it('is empty when the form holds the record as it was, whatever order the lists are in', () => {
    expect(volunteerChanges(record, editValuesOf(record))).toEqual({});
    expect(
      volunteerChanges(record, { ...editValuesOf(record), skills: ['shopping', 'meal_delivery'] }),
    ).toEqual({});
  });

  it('names only the fields changed', () => {
    const next = {
      ...editValuesOf(record),
      status: 'paused' as const,
      skills: [...record.skills, 'first_aid' as const],
    };
    expect(volunteerChanges(record, next)).toEqual({
      status: 'paused',
      skills: ['meal_delivery', 'shopping', 'first_aid'],
    });
  });

  it('sends no organisation as null, and the windows whole when one changed', () => {
    const windows = [
      { day: 1, from: '08:30', to: '11:30' },
      { day: 6, from: '09:00', to: '17:00' },
    ];
    expect(volunteerChanges(record, { ...editValuesOf(record), orgId: null, availability: windows })).toEqual(
      {
        orgId: null,
        availability: windows,
      },
    );
    expect(volunteerChanges({ ...record, org: null }, { ...editValuesOf(record), orgId: null })).toEqual({});
  });
});
