// The jurisdiction node the user is working in. Chosen in the header, kept per user in localStorage;
// lists (users, audit) and the tree page follow it.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useRootNodes } from '../api/nodes.js';
import type { Level, NodeSummary } from '../api/types.js';
import { useAuth } from './auth.js';

export interface ChosenNode {
  id: number;
  name: string;
  level: Level;
  path: string;
}

interface JurisdictionValue {
  node: ChosenNode | null;
  setNode: (n: ChosenNode) => void;
}

const JurisdictionContext = createContext<JurisdictionValue>({ node: null, setNode: () => undefined });

export function useJurisdiction(): JurisdictionValue {
  return useContext(JurisdictionContext);
}

export function toChosen(n: Pick<NodeSummary, 'id' | 'name' | 'level' | 'path'>): ChosenNode {
  return { id: n.id, name: n.name, level: n.level, path: n.path };
}

const storageKey = (userId: number) => `linli.node.${userId}`;

function readStored(userId: number, scopePaths: string[]): ChosenNode | null {
  try {
    const raw = localStorage.getItem(storageKey(userId));
    if (!raw) return null;
    const v = JSON.parse(raw) as Partial<ChosenNode>;
    if (
      typeof v.id !== 'number' ||
      typeof v.name !== 'string' ||
      typeof v.path !== 'string' ||
      typeof v.level !== 'string'
    ) {
      return null;
    }
    // Only a node inside the user's current scope (assignments may have changed since).
    if (scopePaths.length > 0 && !scopePaths.some((p) => v.path!.startsWith(p))) return null;
    return v as ChosenNode;
  } catch {
    return null;
  }
}

export function JurisdictionProvider({ children }: { children: ReactNode }) {
  const { me, can } = useAuth();
  const userId = me.user.id;
  const scopePaths = useMemo(() => me.assignments.map((a) => a.node.path), [me.assignments]);
  const [chosen, setChosen] = useState<{ userId: number; node: ChosenNode | null }>(() => ({
    userId,
    node: readStored(userId, scopePaths),
  }));
  const node = chosen.userId === userId ? chosen.node : readStored(userId, scopePaths);
  const roots = useRootNodes(can('nodes.read'));

  const setNode = useCallback(
    (n: ChosenNode) => {
      setChosen({ userId, node: n });
      try {
        localStorage.setItem(storageKey(userId), JSON.stringify(n));
      } catch {
        // not persisted
      }
    },
    [userId],
  );

  // First visit: start at the first root of the caller's scope.
  const firstRoot = roots.data?.[0];
  useEffect(() => {
    if (!node && firstRoot) setNode(toChosen(firstRoot));
  }, [node, firstRoot, setNode]);

  const value = useMemo(() => ({ node, setNode }), [node, setNode]);
  return <JurisdictionContext.Provider value={value}>{children}</JurisdictionContext.Provider>;
}
