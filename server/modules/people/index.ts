export { createPeopleService, type PeopleService } from './people.service.js';
export { protectedColumns, registerFoundPerson } from './people.service.js';
export {
  createPeopleImporter,
  markInterruptedImports,
  type ImportPhases,
  type PeopleImporter,
} from './people.import.js';
export { peopleRoutes } from './people.routes.js';
