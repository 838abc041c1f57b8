// /notifications — 通知: every notification the server answers (the latest ones), newest first,
// unread ones emphasised, each about an event a link to it; 全部已读 marks them read.
import { Card, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNotifications } from '../../api/notifications.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { useIsPhone } from '../../app/useIsPhone.js';
import { MarkAllReadButton } from './MarkAllReadButton.js';
import { NotificationList } from './NotificationList.js';
import { unreadCount } from './model.js';

const PAGE_SIZE = 20;

export default function NotificationsPage() {
  const { t } = useTranslation();
  const isPhone = useIsPhone();
  const list = useNotifications();
  const items = list.data?.items ?? [];
  const count = unreadCount(items);
  return (
    <div data-testid="notifications-page">
      <div className="linli-page-title">
        <h1>{t('notifications.title')}</h1>
        <Space wrap>
          {count > 0 && (
            <Tag color="blue" data-testid="notifications-unread-count">
              {t('notifications.unreadCount', { n: count })}
            </Tag>
          )}
          <MarkAllReadButton items={items} />
        </Space>
      </div>
      {list.isError && <ErrorAlert error={list.error} style={{ marginBottom: 12 }} />}
      <Card size="small" styles={{ body: { padding: 0 } }}>
        <NotificationList
          testId="notifications-all"
          items={items}
          loading={list.isLoading}
          pagination={
            items.length > PAGE_SIZE
              ? {
                  pageSize: PAGE_SIZE,
                  size: 'small',
                  simple: isPhone,
                  showSizeChanger: false,
                  align: 'center',
                }
              : false
          }
        />
      </Card>
      {items.length > 0 && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('notifications.latest', { n: items.length })}
        </Typography.Paragraph>
      )}
    </div>
  );
}
