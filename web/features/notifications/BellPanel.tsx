// The bell's panel: the popover with the latest notifications, 全部已读 and a link to the full page.
// Fetched at the bell's first press (NotificationBell), so that the popover, its positioning and the
// error texts are not part of every page's first load (bench/README.md, web).
import { Suspense, lazy, type ReactElement } from 'react';
import { Link } from 'react-router';
import { Popover, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Notification } from '../../api/notifications.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { MarkAllReadButton } from './MarkAllReadButton.js';

const NotificationList = lazy(() =>
  import('./NotificationList.js').then((m) => ({ default: m.NotificationList })),
);

/** How many the panel lists; the page lists all the server answers. */
const PANEL_SIZE = 10;

export default function BellPanel({
  open,
  onOpenChange,
  items,
  loading,
  error,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  items: readonly Notification[];
  loading: boolean;
  error: unknown;
  /** The bell's button: the popover opens and closes on its clicks. */
  children: ReactElement;
}) {
  const { t } = useTranslation();
  const close = () => onOpenChange(false);
  const panel = (
    <div className="linli-notifications-panel" data-testid="notifications-panel">
      <div className="linli-notifications-panel-head">
        <strong>{t('notifications.title')}</strong>
        <MarkAllReadButton items={items} size="small" />
      </div>
      {error ? <ErrorAlert error={error} style={{ margin: 8 }} /> : null}
      <div className="linli-notifications-panel-list">
        <Suspense fallback={<Spin style={{ display: 'block', margin: 16 }} />}>
          <NotificationList
            testId="notifications-latest"
            items={items.slice(0, PANEL_SIZE)}
            loading={loading}
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
    <Popover
      open={open}
      onOpenChange={onOpenChange}
      trigger="click"
      // "bottom" shifts along the header rather than flipping, so on a phone the panel stays on the screen.
      placement="bottom"
      arrow={false}
      destroyOnHidden
      content={panel}
      styles={{ container: { padding: 0, width: 'min(380px, calc(100vw - 16px))' } }}
    >
      {children}
    </Popover>
  );
}
