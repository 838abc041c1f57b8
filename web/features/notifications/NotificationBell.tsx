// The header's bell: the unread count as a badge (the list is polled every half minute and on window
// focus), and on click a panel with the latest notifications, 全部已读, and a link to the full page.
// The panel's list is fetched when it first opens: with antd's List it would add its pagination and
// select to the first load of every page.
import { lazy, Suspense, useState } from 'react';
import { Link } from 'react-router';
import { Badge, Button, Popover, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNotifications } from '../../api/notifications.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { MarkAllReadButton } from './MarkAllReadButton.js';
import { unreadCount } from './model.js';
import './notifications.css';

const NotificationList = lazy(() =>
  import('./NotificationList.js').then((m) => ({ default: m.NotificationList })),
);

/** How many the panel lists; the page lists all the server answers. */
const PANEL_SIZE = 10;

function BellIcon() {
  return (
    <svg
      viewBox="0 0 24 24"
      width="18"
      height="18"
      aria-hidden
      focusable="false"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}

export function NotificationBell() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const list = useNotifications();
  const items = list.data?.items ?? [];
  const count = unreadCount(items);
  const close = () => setOpen(false);

  const panel = (
    <div className="linli-notifications-panel" data-testid="notifications-panel">
      <div className="linli-notifications-panel-head">
        <Typography.Text strong>{t('notifications.title')}</Typography.Text>
        <MarkAllReadButton items={items} size="small" />
      </div>
      {list.isError && <ErrorAlert error={list.error} style={{ margin: 8 }} />}
      <div className="linli-notifications-panel-list">
        <Suspense fallback={<Spin style={{ display: 'block', margin: 16 }} />}>
          <NotificationList
            testId="notifications-latest"
            items={items.slice(0, PANEL_SIZE)}
            loading={list.isLoading}
            onNavigate={close}
          />
        </Suspense>
      </div>
      <div className="linli-notifications-panel-foot">
        <Link to="/notifications" data-testid="notifications-view-all" onClick={close}>
          {t('notifications.viewAll')}
        </Link>
      </div>
    </div>
  );

  return (
    <Badge count={count} overflowCount={99} size="small" offset={[-4, 4]}>
      <Popover
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (next) void list.refetch();
        }}
        trigger="click"
        // "bottom" shifts along the header rather than flipping, so on a phone the panel stays on the screen.
        placement="bottom"
        arrow={false}
        destroyOnHidden
        content={panel}
        styles={{ container: { padding: 0, width: 'min(380px, calc(100vw - 16px))' } }}
      >
        <Button
          className="linli-notifications-bell"
          data-testid="notifications-bell"
          data-unread={count}
          aria-label={count > 0 ? t('notifications.bellUnread', { n: count }) : t('notifications.bell')}
          title={count > 0 ? t('notifications.bellUnread', { n: count }) : t('notifications.bell')}
          aria-haspopup="dialog"
          aria-expanded={open}
          icon={<BellIcon />}
        />
      </Popover>
    </Badge>
  );
}
