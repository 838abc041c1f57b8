// /tasks — 我的待办: what waits for me (to file and dispatch, to sign for and handle, to verify),
// overdue first; refreshed every half minute.
import { Link } from 'react-router';
import { Empty, List, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useTasks } from '../../api/events.js';
import { useDirectiveTasks } from '../../api/command.js';
import { useAuth } from '../../app/auth.js';
import { PriorityTag, TargetStateTag } from '../command/labels.js';
import { formatTime, useLabel } from '../../app/format.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { OverdueTag, StateTag } from './labels.js';

export default function TasksPage() {
  const { t } = useTranslation();
  const label = useLabel();
  const { can } = useAuth();
  const handlesEvents = can('events.triage') || can('events.handle') || can('events.verify');
  const tasks = useTasks(handlesEvents);
  const directives = useDirectiveTasks(can('directives.respond') || can('directives.issue'));
  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('events.tasksTitle')}</h1>
      </div>
      {directives.isError && <ErrorAlert error={directives.error} />}
      {(directives.data?.items.length ?? 0) > 0 && (
        <List
          data-testid="directive-tasks"
          header={<b>{t('command.tasksTitle')}</b>}
          style={{ marginBottom: 16 }}
          dataSource={directives.data?.items ?? []}
          renderItem={(d) => (
            <List.Item
              data-testid={`directive-task-${d.directiveId}`}
              extra={
                <Typography.Text type={d.overdue ? 'danger' : 'secondary'}>
                  {d.state === 'pending' ? t('command.signDueAt') : t('command.reportDueAt')}:{' '}
                  {formatTime(d.state === 'pending' ? d.signDueAt : d.reportDueAt)}
                </Typography.Text>
              }
            >
              <List.Item.Meta
                title={
                  <Space wrap>
                    <Link to={`/directives/${d.directiveId}`}>{d.directiveTitle}</Link>
                    <PriorityTag priority={d.priority} />
                    <TargetStateTag state={d.state} />
                    <OverdueTag overdue={d.overdue} />
                  </Space>
                }
                description={`${d.issuer.name} → ${d.node.name}`}
              />
            </List.Item>
          )}
        />
      )}
      {tasks.isError && <ErrorAlert error={tasks.error} />}
      <List
        data-testid="tasks"
        loading={tasks.isLoading}
        dataSource={tasks.data?.items ?? []}
        locale={{ emptyText: <Empty description={t('events.noTasks')} /> }}
        renderItem={(e) => (
          <List.Item
            data-testid={`task-${e.id}`}
            extra={
              e.dueAt ? (
                <Typography.Text type={e.overdue ? 'danger' : 'secondary'}>
                  {t('events.dueAt')}: {formatTime(e.dueAt)}
                </Typography.Text>
              ) : null
            }
          >
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
