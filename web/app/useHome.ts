import { useAuth } from './auth.js';
import { homeFor } from './nav.js';

/** Where the signed-in user lands: their roles' home (web/app/nav.ts). */
export function useHome(): string {
  const { me, can } = useAuth();
  return homeFor(
    me.assignments.map((a) => a.role.code),
    can,
  );
}
