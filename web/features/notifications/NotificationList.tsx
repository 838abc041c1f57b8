// The list both the bell's panel and the /notifications page show: text in the user's language, the
// workflow step as a tag, the time (relative within a week, in full on hover), unread ones emphasised
// with a dot and bold text; one about an event is a link to it.
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Empty, List, Tag, Typography, type ListProps } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Notification } from '../../api/notifications.js';
import { formatTime } from '../../app/format.js';
import { useEventLabels } from '../events/labels.js';
import { eventActionOf, notificationHref, relativeTime } from './model.js';
import './notifications.css';

/** Now, refreshed every half minute so relative times move on while the list is shown. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), 30_000);
    return () => window.clearInterval(id);
  }, []);
  return now;
}

function NotificationRow({ n, now, onNavigate }: { n: Notification; now: number; onNavigate?: () => void }) {
  const { t, i18n } = useTranslation();
  const labels = useEventLabels();
  const href = notificationHref(n);
  const action = eventActionOf(n.kind);
  const full = formatTime(n.at);
  const content = (
    <>
      <span className="linli-notification-dot" aria-hidden />
      <span className="linli-notification-main">
        <Typography.Text strong={!n.read} className="linli-notification-text">
          {!n.read && <span className="linli-notification-sr">{t('notifications.unread')}: </span>}
          {n.text}
        </Typography.Text>
        <span className="linli-notification-meta">
          {action && <Tag>{labels.action(action)}</Tag>}
          <Typography.Text type="secondary" title={full}>
            <time dateTime={n.at}>{relativeTime(n.at, now, i18n.language) ?? full}</time>
          </Typography.Text>
        </span>
      </span>
    </>
  );
  return (
    <List.Item
      data-testid={`notification-${n.id}`}
      data-read={n.read ? 'true' : 'false'}
      className={n.read ? 'linli-notification' : 'linli-notification linli-notification-unread'}
    >
      {href ? (
        <Link to={href} className="linli-notification-row" onClick={onNavigate}>
          {content}
        </Link>
      ) : (
        <div className="linli-notification-row">{content}</div>
      )}
    </List.Item>
  );
}

export function NotificationList({
  items,
  loading,
  onNavigate,
  pagination,
  testId,
}: {
  items: readonly Notification[];
  loading?: boolean;
  /** Called when a notification's link is followed (the panel closes). */
  onNavigate?: () => void;
  pagination?: ListProps<Notification>['pagination'];
  testId: string;
}) {
  const { t } = useTranslation();
  const now = useNow();
  return (
    <List<Notification>
      data-testid={testId}
      loading={loading}
      dataSource={items}
      rowKey="id"
      pagination={pagination}
      locale={{
        emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.empty')} />,
      }}
      renderItem={(n) => <NotificationRow n={n} now={now} onNavigate={onNavigate} />}
    />
  );
}
