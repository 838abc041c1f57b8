import { useSyncExternalStore } from 'react';
import { PHONE_QUERY } from './theme.js';

function subscribe(cb: () => void): () => void {
  const mq = window.matchMedia(PHONE_QUERY);
  mq.addEventListener('change', cb);
  return () => mq.removeEventListener('change', cb);
}

/** True below 768 px: the Sider becomes a Drawer, forms stack. */
export function useIsPhone(): boolean {
  return useSyncExternalStore(subscribe, () => window.matchMedia(PHONE_QUERY).matches);
}
