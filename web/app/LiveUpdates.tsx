// One live-update stream per signed-in page: EventSource on /api/stream (it resends Last-Event-ID on
// its own reconnects); each update marks the queries of its area stale, coalesced.
import { useEffect, useSyncExternalStore } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Badge } from 'antd';
import { useTranslation } from 'react-i18next';
import { createCoalescer, staleKeysOf } from './live.js';
import { LIVE_RESET } from '../../common/contracts/live-codes.js';
import type { LiveEventData } from '../../common/contracts/live.js';

export type LiveStatus = 'connecting' | 'open' | 'closed';

// One stream per page, so its status is one value any component can read (the header's mark).
let current: LiveStatus = 'closed';
const watchers = new Set<() => void>();
function setStatus(s: LiveStatus) {
  if (s === current) return;
  current = s;
  for (const w of watchers) w();
}
function watch(w: () => void) {
  watchers.add(w);
  return () => void watchers.delete(w);
}

export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(watch, () => current);
}

/** After the browser gives up (an HTTP error rather than a dropped connection), try again this late. */
const REOPEN_MS = 15_000;

/** Mounted once inside the signed-in layout: unmounting (signing out) closes the stream. */
export function LiveUpdates() {
  const qc = useQueryClient();

  useEffect(() => {
    if (typeof EventSource === 'undefined') {
      setStatus('closed');
      return;
    }
    const coalescer = createCoalescer(
      (key) => void (key === 'all' ? qc.invalidateQueries() : qc.invalidateQueries({ queryKey: key })),
    );
    const refresh = (kind: string) => {
      const keys = staleKeysOf(kind);
      if (keys === 'all') coalescer.ask('all');
      else for (const k of keys) coalescer.ask(k);
    };
    let es: EventSource | null = null;
    let lastId: string | null = null;
    let reopen: ReturnType<typeof setTimeout> | null = null;
    const connect = () => {
      setStatus('connecting');
      // A stream opened anew (not the browser's own reconnect) resumes after what this page saw.
      const source = new EventSource(
        lastId ? `/api/stream?lastEventId=${encodeURIComponent(lastId)}` : '/api/stream',
      );
      es = source;
      source.onopen = () => setStatus('open');
      source.onmessage = (e: MessageEvent<string>) => {
        if (e.lastEventId) lastId = e.lastEventId;
        try {
          refresh((JSON.parse(e.data) as LiveEventData).kind);
        } catch {
          // Not an update: nothing to refresh.
        }
      };
      source.addEventListener(LIVE_RESET, (e) => {
        const id = (e as MessageEvent<string>).lastEventId;
        if (id) lastId = id;
        refresh(LIVE_RESET);
      });
      source.onerror = () => {
        if (source.readyState !== EventSource.CLOSED) return setStatus('connecting');
        // Refused (signed out, server error): the browser will not retry on its own.
        setStatus('closed');
        source.close();
        reopen = setTimeout(connect, REOPEN_MS);
      };
    };
    connect();
    return () => {
      if (reopen) clearTimeout(reopen);
      es?.close();
      coalescer.stop();
      setStatus('closed');
    };
  }, [qc]);
  return null;
}

/**
 * The header's small "实时 · Live" mark: green when updates flow, blue while connecting, grey when off.
 * Compact (a phone's header): the dot alone, its meaning read out by screen readers.
 */
export function LiveIndicator({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation();
  const status = useLiveStatus();
  return (
    // The state's words as the mark's title (a hover on a desktop, the name on a phone), not an antd
    // Tooltip: its popup code would be part of every page's first load (bench/README.md, web).
    <span
      data-testid="live-indicator"
      data-status={status}
      title={t(`live.${status}`)}
      role={compact ? 'img' : undefined}
      aria-label={compact ? t(`live.${status}`) : undefined}
    >
      <Badge
        status={status === 'open' ? 'success' : status === 'connecting' ? 'processing' : 'default'}
        text={compact ? undefined : t('live.label')}
      />
    </span>
  );
}
