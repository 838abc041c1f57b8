// /notices — notices reaching the chosen jurisdiction, each with its delivery progress at that level,
// filtered by one of the open incident commands; who holds notices.publish publishes a new one from here.
import { useMemo, useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router';
import { Button, Progress, Select, Tag, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCommands } from '../../api/command.js';
import { useNotices, type NoticeSummary } from '../../api/notices.js';
import { useAuth } from '../../app/auth.js';
import { useJurisdiction } from '../../app/jurisdiction.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { FilterBar } from '../../app/components/FilterBar.js';
import { ResponsiveTable } from '../../app/components/ResponsiveTable.js';
import { formatTime } from '../../app/format.js';
import { PublishNoticeModal } from './PublishNoticeModal.js';

export default function NoticesPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { node } = useJurisdiction();
  const [publishing, setPublishing] = useState(false);
  const [command, setCommand] = useState<number | undefined>();
  // Every command covering the caller names the notices' commands; the filter offers the open ones.
  const commands = useCommands();
  const names = useMemo(
    () => new Map((commands.data?.items ?? []).map((c) => [c.id, c.name])),
    [commands.data],
  );
  const openCommands = (commands.data?.items ?? []).filter((c) => !c.closedAt);
  const filterKey = `${node?.id}|${command}`;
  const [paging, setPaging] = useState({ key: filterKey, page: 1, pageSize: 20 });
  const page = paging.key === filterKey ? paging.page : 1;
  const pageSize = paging.pageSize;
  const notices = useNotices({ node: node?.id, command, page, pageSize });

  const columns: TableColumnsType<NoticeSummary> = [
    {
      title: t('notices.titleColumn'),
      key: 'title',
      render: (_v, n) => (
        <Link
          to={`/notices/${n.id}${n.progress.node.id !== n.node.id ? `?node=${n.progress.node.id}` : ''}`}
          data-testid={`notice-link-${n.id}`}
        >
          {n.title}
        </Link>
      ),
    },
    { title: t('notices.publishedTo'), key: 'node', responsive: ['md'], render: (_v, n) => n.node.name },
    {
      title: t('notices.command'),
      key: 'command',
      responsive: ['lg'],
      render: (_v, n) =>
        n.commandId ? (names.get(n.commandId) ?? t('notices.commandN', { id: n.commandId })) : '—',
    },
    {
      title: t('notices.progress'),
      key: 'progress',
      width: 260,
      render: (_v, n) => (
        <div data-testid={`notice-progress-${n.id}`}>
          <Progress
            aria-label={t('command.progressOf', { name: n.title })}
            percent={n.progress.percent}
            size="small"
            status={n.progress.percent >= 100 ? 'success' : 'active'}
          />
          <span className="linli-muted">
            {t('notices.deliveredOf', {
              name: n.progress.node.name,
              delivered: n.progress.delivered,
              households: n.progress.households,
            })}
          </span>
        </div>
      ),
    },
    {
      title: t('notices.publishedAt'),
      key: 'at',
      responsive: ['lg'],
      render: (_v, n) => `${formatTime(n.publishedAt)}${n.publishedBy ? ` · ${n.publishedBy}` : ''}`,
    },
  ];

  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('notices.title')}</h1>
        {can('notices.publish') && (
          <Button type="primary" data-testid="notice-publish" onClick={() => setPublishing(true)}>
            {t('notices.publish')}
          </Button>
        )}
      </div>
      <FilterBar
        active={command === undefined ? 0 : 1}
        onClear={() => setCommand(undefined)}
        fields={[
          {
            id: 'notices-filter-command',
            label: t('notices.command'),
            control: (
              <Select
                id="notices-filter-command"
                style={{ width: 240 }}
                allowClear
                placeholder={t('notices.allCommands')}
                value={command}
                onChange={(v?: number) => setCommand(v)}
                loading={commands.isLoading}
                options={openCommands.map((c) => ({ value: c.id, label: c.name }))}
                data-testid="notice-command-filter"
              />
            ),
          },
        ]}
        extra={node && <Tag>{t('common.scopeOf', { name: node.name })}</Tag>}
      />
      {notices.isError && <ErrorAlert error={notices.error} style={{ marginBottom: 12 }} />}
      <ResponsiveTable<NoticeSummary>
        data-testid="notices-table"
        rowKey="id"
        size="middle"
        loading={notices.isFetching}
        dataSource={notices.data?.items ?? []}
        columns={columns}
        scroll={{ x: 'max-content' }}
        onRow={(n) => ({ 'data-testid': `notice-row-${n.id}` }) as HTMLAttributes<HTMLElement>}
        pagination={{
          current: page,
          pageSize,
          total: notices.data?.total ?? 0,
          showTotal: (total) => t('common.total', { total }),
          onChange: (p, ps) => setPaging({ key: filterKey, page: ps !== pageSize ? 1 : p, pageSize: ps }),
        }}
      />
      {publishing && (
        <PublishNoticeModal
          defaultNode={node ?? undefined}
          defaultCommand={command}
          onClose={() => setPublishing(false)}
        />
      )}
    </div>
  );
}
