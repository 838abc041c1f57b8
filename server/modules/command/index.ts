// The command system's public face: other modules and the app import only from here.
export { createCommandsService, type CommandsService } from './commands.service.js';
export { createDirectivesService, type DirectivesService } from './directives.service.js';
export { createCockpitService, type CockpitService, type ReportCompletion } from './cockpit.service.js';
export { commandRoutes } from './command.routes.js';
export { createDirectiveFilesService, type DirectiveFilesService } from './directive-files.js';
export { directiveFileRoutes } from './directive-files.routes.js';
