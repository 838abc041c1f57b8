// Bilingual labels for events: states, channels, owner levels, actions, close reasons.
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { CHANNEL_LABELS, EVENT_STATE_LABELS } from '../../../common/contracts/events-codes.js';
import { LEVEL_LABELS } from '../../../common/tree.js';
import { useLabel } from '../../app/format.js';
import type { EventAction, EventState, EventSummary } from '../../api/events.js';

const STATE_COLORS: Record<EventState, string> = {
  reported: 'gold',
  accepted: 'blue',
  rejected: 'default',
  dispatched: 'geekblue',
  returned: 'orange',
  in_progress: 'processing',
  extension_requested: 'purple',
  parked: 'default',
  handled: 'cyan',
  closed: 'green',
  evaluated: 'success',
  reopened: 'magenta',
};

export function StateTag({ state }: { state: EventState }) {
  const label = useLabel();
  return (
    <Tag color={STATE_COLORS[state]} data-testid={`state-${state}`}>
      {label(EVENT_STATE_LABELS[state])}
    </Tag>
  );
}

export function OverdueTag({ overdue }: { overdue: boolean }) {
  const { t } = useTranslation();
  return overdue ? (
    <Tag color="red" data-testid="overdue">
      {t('events.overdue')}
    </Tag>
  ) : null;
}

export function useEventLabels() {
  const label = useLabel();
  const { t } = useTranslation();
  return {
    state: (s: EventState) => label(EVENT_STATE_LABELS[s]),
    channel: (c: EventSummary['channel']) => label(CHANNEL_LABELS[c]),
    level: (l: EventSummary['ownerLevel']) => label(LEVEL_LABELS[l]),
    action: (a: string) => t(`events.actions.${a as EventAction}`, { defaultValue: a }),
    closeReason: (r: string) => t(`events.closeReasons.${r as 'resolved'}`, { defaultValue: r }),
    /** The overdue filter's choices, as the list and the map offer them. */
    overdueOptions: [
      { value: 'true' as const, label: t('events.onlyOverdue') },
      { value: 'false' as const, label: t('events.notOverdue') },
    ],
  };
}
