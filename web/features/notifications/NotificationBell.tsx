// The header's bell: the unread count as a badge (the list is polled every half minute and on window
// focus), and on click a panel with the latest notifications, 全部已读, and a link to the full page.
// The panel (popover, list, error texts) is fetched at the first press: it would otherwise be part of
// the first load of every page (bench/README.md, web).
import { lazy, Suspense, useState } from 'react';
import { Badge, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNotifications } from '../../api/notifications.js';
import { unreadCount } from './model.js';
import './notifications.css';

const BellPanel = lazy(() => import('./BellPanel.js'));

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
  /** Pressed once: the panel's code is fetched and from then on the popover owns the clicks. */
  const [armed, setArmed] = useState(false);
  const list = useNotifications();
  const items = list.data?.items ?? [];
  const count = unreadCount(items);
  const onOpenChange = (next: boolean) => {
    setOpen(next);
    if (next) void list.refetch();
  };
  const name = count > 0 ? t('notifications.bellUnread', { n: count }) : t('notifications.bell');
  const bell = (
    <Button
      className="linli-notifications-bell"
      data-testid="notifications-bell"
      data-unread={count}
      aria-label={name}
      title={name}
      aria-haspopup="dialog"
      aria-expanded={open}
      icon={<BellIcon />}
      onClick={
        armed
          ? undefined
          : () => {
              setArmed(true);
              onOpenChange(true);
            }
      }
    />
  );
  return (
    <Badge count={count} overflowCount={99} size="small" offset={[-4, 4]}>
      {armed ? (
        <Suspense fallback={bell}>
          <BellPanel
            open={open}
            onOpenChange={onOpenChange}
            items={items}
            loading={list.isLoading}
            error={list.isError ? list.error : null}
          >
            {bell}
          </BellPanel>
        </Suspense>
      ) : (
        bell
      )}
    </Badge>
  );
}
