// The ordered list of migrations. Names are timestamped; a landed migration is never edited.
import type { Migration } from 'kysely';
import * as m20261128_0001 from './20261128_0001_platform.js';
import * as m20261128_0002 from './20261128_0002_people.js';
import * as m20261128_0003 from './20261128_0003_people_list_index.js';
import * as m20261128_0004 from './20261128_0004_drop_redundant_person_index.js';
import * as m20261128_0005 from './20261128_0005_events.js';
import * as m20261128_0006 from './20261128_0006_open311_keys.js';
import * as m20261128_0007 from './20261128_0007_event_duplicate_index.js';
import * as m20261128_0008 from './20261128_0008_event_photos.js';
import * as m20261128_0009 from './20261128_0009_events_near_index.js';
import * as m20261128_0010 from './20261128_0010_events_reveal.js';
import * as m20261128_0011 from './20261128_0011_command.js';
import * as m20261129_0012 from './20261129_0012_double_precision.js';
import * as m20261129_0013 from './20261129_0013_open_events_near.js';
import * as m20261129_0014 from './20261129_0014_events_index_costs.js';
import * as m20261205_0015 from './20261205_0015_audit_key.js';
import * as m20261205_0016 from './20261205_0016_login_throttles.js';
import * as m20261205_0017 from './20261205_0017_message_codes.js';
import * as m20261206_0018 from './20261206_0018_import_skipped_rows.js';
import * as m20261206_0019 from './20261206_0019_node_spellings.js';
import * as m20261206_0020 from './20261206_0020_defence_rosters.js';
import * as m20261206_0021 from './20261206_0021_defence_passages.js';
import * as m20261206_0022 from './20261206_0022_shift_swaps.js';
import * as m20261206_0023 from './20261206_0023_home_observation.js';
import * as m20261207_0024 from './20261207_0024_screening_sweeps.js';
import * as m20261207_0025 from './20261207_0025_mediation.js';
import * as m20261207_0026 from './20261207_0026_services.js';
import * as m20261207_0027 from './20261207_0027_volunteer_hours_yearly.js';
import * as m20261207_0028 from './20261207_0028_care.js';

export const migrations: Record<string, Migration> = {
  '20261128_0001_platform': m20261128_0001,
  '20261128_0002_people': m20261128_0002,
  '20261128_0003_people_list_index': m20261128_0003,
  '20261128_0004_drop_redundant_person_index': m20261128_0004,
  '20261128_0005_events': m20261128_0005,
  '20261128_0006_open311_keys': m20261128_0006,
  '20261128_0007_event_duplicate_index': m20261128_0007,
  '20261128_0008_event_photos': m20261128_0008,
  '20261128_0009_events_near_index': m20261128_0009,
  '20261128_0010_events_reveal': m20261128_0010,
  '20261128_0011_command': m20261128_0011,
  '20261129_0012_double_precision': m20261129_0012,
  '20261129_0013_open_events_near': m20261129_0013,
  '20261129_0014_events_index_costs': m20261129_0014,
  '20261205_0015_audit_key': m20261205_0015,
  '20261205_0016_login_throttles': m20261205_0016,
  '20261205_0017_message_codes': m20261205_0017,
  '20261206_0018_import_skipped_rows': m20261206_0018,
  '20261206_0019_node_spellings': m20261206_0019,
  '20261206_0020_defence_rosters': m20261206_0020,
  '20261206_0021_defence_passages': m20261206_0021,
  '20261206_0022_shift_swaps': m20261206_0022,
  '20261206_0023_home_observation': m20261206_0023,
  '20261207_0024_screening_sweeps': m20261207_0024,
  '20261207_0025_mediation': m20261207_0025,
  '20261207_0026_services': m20261207_0026,
  '20261207_0027_volunteer_hours_yearly': m20261207_0027,
  '20261207_0028_care': m20261207_0028,
};
