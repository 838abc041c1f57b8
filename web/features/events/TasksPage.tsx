// /tasks — 我的待办: what waits for me (to file and dispatch, to sign for and handle, to verify),
// overdue first; refreshed every half minute.
import { Link } from 'react-router';
import { Empty, List, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useTasks } from '../../api/events.js';
import { formatTime, useLabel } from '../../app/format.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { OverdueTag, StateTag } from './labels.js';

export default function TasksPage() {
  const { t } = useTranslation();
  const label = useLabel();
  const tasks = useTasks();
  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('events.tasksTitle')}</h1>
      </div>
      {tasks.isError && <ErrorAlert error={tasks.error} />}
      <List
        data-testid="tasks"
        loading={tasks.isLoading}
        dataSource={tasks.data?.items ?? []}
        locale={{ emptyText: <Empty description={t('events.noTasks')} /> }}
        renderItem={(e) => (
          <List.Item data-testid={`task-${e.id}`} extra={e.dueAt ? <Typography.Text type={e.overdue ? 'danger' : 'secondary'}>{t('events.dueAt')}: {formatTime(e.dueAt)}</Typography.Text> : null}>
            <List.Item.Meta
              title={
                <Space wrap>
                  <Link to={`/events/${e.id}`}>{e.title}</Link>
                  <StateTag state={e.state} />
                  <OverdueTag overdue={e.overdue} />
                </Space>
              }
              description={`${label({ zh: e.category.nameZh, en: e.category.nameEn })} · ${e.node.name} · ${e.trackingCode}`}
            />
          </List.Item>
        )}
      />
    </div>
  );
}
