// One message of a case: who wrote it, when, and (for the mediator) who may read it.
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MessageView } from '../../api/mediation.js';
import { formatMinute } from './dates.js';

/** One message: who wrote it, when, and who may read it. */
export function MessageItem({ m, mediatorView }: { m: MessageView; mediatorView: boolean }) {
  const { t } = useTranslation();
  return (
    <li className={m.partyId === null ? 'is-mediator' : undefined} data-testid={`message-${m.id}`}>
      <div className="linli-med-meta">
        {m.partyId === null ? t('mediation.fromMediator', { name: m.author }) : m.author} ·{' '}
        {formatMinute(m.createdAt)}{' '}
        {mediatorView &&
          (m.toAll ? (
            <Tag>{t('mediation.toAll')}</Tag>
          ) : (
            <Tag color="orange">
              {m.partyId === null ? t('mediation.noteOnly') : t('mediation.mediatorOnly')}
            </Tag>
          ))}
      </div>
      {m.body}
    </li>
  );
}
