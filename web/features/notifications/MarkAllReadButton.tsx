import { App, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMarkNotificationsRead, type Notification } from '../../api/notifications.js';
import { useErrorTexts } from '../../app/errors.js';
import { newestId, unreadCount } from './model.js';

/** 全部已读: marks read everything up to the newest notification shown, so a later one stays unread. */
export function MarkAllReadButton({
  items,
  size,
}: {
  items: readonly Notification[];
  size?: 'small' | 'middle';
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errors = useErrorTexts();
  const mark = useMarkNotificationsRead();
  return (
    <Button
      size={size}
      data-testid="notifications-mark-read"
      disabled={unreadCount(items) === 0}
      loading={mark.isPending}
      onClick={() =>
        mark.mutate(
          { upToId: newestId(items) },
          {
            onSuccess: () => void message.success(t('notifications.markedRead')),
            onError: (e) => void message.error(errors.title(e)),
          },
        )
      }
    >
      {t('notifications.markAllRead')}
    </Button>
  );
}
