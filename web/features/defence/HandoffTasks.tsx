// My tasks' hand-offs (loaded with this chunk only for those who may have some): travellers at risk
// registered at a checkpoint and bound for the caller's grid, to visit and screen before the time
// limit; overdue first. "Visited" records the visit; "close" ends a hand-off with nothing to do. A plain
// list like the rest of my tasks. A 403 (no hand-offs for this account) shows nothing.
import { lazy, Suspense, useEffect, useState } from 'react';
import { App, Button } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.js';
import { passageKeys, stepHandoff, useHandoffTasks, type HandoffView } from '../../api/passages.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { formatTime } from '../../app/format.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { OverdueTag } from '../events/labels.js';
import { RiskTag } from './tags.js';
import { orderHandoffs } from './handoffs.js';

/** Ordering home observation for a traveller in the registry: its own chunk, fetched at the press. */
const OrderObservationModal = lazy(() => import('../observation/OrderObservationModal.js'));

export default function HandoffTasks({ onCount }: { onCount: (n: number) => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const onError = useFormErrorHandler();
  const tasks = useHandoffTasks();
  const [observing, setObserving] = useState<HandoffView | null>(null);
  const items = orderHandoffs(tasks.data?.items ?? []);
  const count = items.length;
  useEffect(() => onCount(count), [count, onCount]);

  const step = useMutation({
    mutationFn: ({ h, action }: { h: HandoffView; action: 'visit' | 'close' }) =>
      stepHandoff(h.id, { action }),
    onSuccess: (_v, { action }) => {
      void message.success(action === 'visit' ? t('handoffs.visited') : t('handoffs.closed'));
      void qc.invalidateQueries({ queryKey: passageKeys.handoffTasks });
    },
    onError: (e) => onError(e),
  });

  if (tasks.isError)
    return isApiError(tasks.error) && tasks.error.status === 403 ? null : <ErrorAlert error={tasks.error} />;
  if (items.length === 0) return null;
  return (
    <section data-testid="handoff-tasks" className="linli-task-list" style={{ marginBottom: 16 }}>
      <h2 className="linli-task-list-title">{t('handoffs.title')}</h2>
      <ul>
        {items.map((h) => (
          <li key={h.id} data-testid={`handoff-task-${h.id}`}>
            <div className="linli-task">
              <span className="linli-task-title">
                {h.person.name}
                {h.person.idNumber ? ` · ${h.person.idNumber}` : ''}
              </span>
              <span className="linli-task-tags">
                <RiskTag risky reasons={h.person.reasons} />
                <OverdueTag overdue={h.overdue} />
              </span>
              <span className="linli-task-meta">
                {t('handoffs.from', { checkpoint: h.checkpoint.name, at: formatTime(h.createdAt) })} →{' '}
                {h.node.name}
                {h.person.phone ? ` · ${h.person.phone}` : ''}
              </span>
              <span className={h.overdue ? 'linli-task-meta linli-overdue' : 'linli-task-meta'}>
                {t('handoffs.dueAt', { at: formatTime(h.dueAt) })}
              </span>
              <span className="linli-task-tags">
                {h.abilities.visit && (
                  <Button
                    type="primary"
                    data-testid={`handoff-visit-${h.id}`}
                    loading={
                      step.isPending && step.variables.h.id === h.id && step.variables.action === 'visit'
                    }
                    onClick={() => step.mutate({ h, action: 'visit' })}
                  >
                    {t('handoffs.visit')}
                  </Button>
                )}
                {h.abilities.observe && h.person.personId !== null && (
                  <Button data-testid={`handoff-observe-${h.id}`} onClick={() => setObserving(h)}>
                    {t('observation.order')}
                  </Button>
                )}
                {h.abilities.close && (
                  <Button
                    data-testid={`handoff-close-${h.id}`}
                    onClick={() =>
                      void modal.confirm({
                        title: `${t('handoffs.close')}：${h.person.name}`,
                        okText: t('handoffs.close'),
                        cancelText: t('common.cancel'),
                        onOk: () => step.mutateAsync({ h, action: 'close' }),
                      })
                    }
                  >
                    {t('handoffs.close')}
                  </Button>
                )}
              </span>
            </div>
          </li>
        ))}
      </ul>
      {observing && observing.person.personId !== null && (
        <Suspense fallback={null}>
          <OrderObservationModal
            person={{ id: observing.person.personId, name: observing.person.name }}
            reason={t('observation.fromHandoff', { checkpoint: observing.checkpoint.name })}
            onClose={() => setObserving(null)}
          />
        </Suspense>
      )}
    </section>
  );
}
