// /reports — the daily reports the caller reads, fills or manages, filtered by one of the open
// incident commands; those who hold reports.manage set up a new one here.
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button, Card, Select, Space, Table, Tag, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCommands } from '../../api/command.js';
import { useReportTemplates, type ReportTemplate } from '../../api/reports.js';
import { useAuth } from '../../app/auth.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { useLevelLabel } from '../../app/format.js';
import { CreateTemplateModal } from './CreateTemplateModal.js';

export default function ReportsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const levelLabel = useLevelLabel();
  const [command, setCommand] = useState<number | undefined>();
  const [creating, setCreating] = useState(false);
  const list = useReportTemplates(command);
  // Every command covering the caller (closed ones name old reports); the filter offers the open ones.
  const commands = useCommands();
  const names = useMemo(
    () => new Map((commands.data?.items ?? []).map((c) => [c.id, c.name])),
    [commands.data],
  );
  const open = (commands.data?.items ?? []).filter((c) => !c.closedAt);

  const columns: TableColumnsType<ReportTemplate> = [
    {
      title: t('reports.titleLabel'),
      key: 'title',
      render: (_v, r) => (
        <Link to={`/reports/${r.id}`} data-testid={`report-open-${r.id}`}>
          {r.title}
        </Link>
      ),
    },
    { title: t('reports.node'), key: 'node', render: (_v, r) => r.node.name },
    { title: t('reports.targetLevel'), key: 'level', render: (_v, r) => levelLabel(r.targetLevel) },
    { title: t('reports.dueTime'), dataIndex: 'dueTime' },
    {
      title: t('reports.period'),
      key: 'period',
      render: (_v, r) => t('reports.periodOf', { from: r.startDay, to: r.endDay ?? t('reports.ongoing') }),
      responsive: ['md'],
    },
    {
      title: t('reports.command'),
      key: 'command',
      render: (_v, r) =>
        r.commandId ? (names.get(r.commandId) ?? t('reports.commandN', { id: r.commandId })) : '—',
      responsive: ['md'],
    },
    {
      title: t('reports.state'),
      key: 'state',
      render: (_v, r) => (
        <Space size={4}>
          {r.retiredAt ? <Tag>{t('reports.retired')}</Tag> : <Tag color="green">{t('reports.active')}</Tag>}
          {r.abilities.fill && !r.retiredAt ? <Tag color="blue">{t('reports.fillable')}</Tag> : null}
        </Space>
      ),
    },
  ];

  return (
    <Card
      title={t('reports.title')}
      extra={
        <Space wrap>
          <Select
            style={{ width: 240 }}
            allowClear
            placeholder={t('reports.allCommands')}
            aria-label={t('reports.command')}
            value={command}
            onChange={(v?: number) => setCommand(v)}
            loading={commands.isLoading}
            options={open.map((c) => ({ value: c.id, label: c.name }))}
            data-testid="report-command-filter"
          />
          {can('reports.manage') ? (
            <Button type="primary" onClick={() => setCreating(true)} data-testid="report-create">
              {t('reports.create')}
            </Button>
          ) : null}
        </Space>
      }
    >
      <ErrorAlert error={list.error} style={{ marginBottom: 12 }} />
      <Table<ReportTemplate>
        rowKey="id"
        size="middle"
        loading={list.isLoading}
        columns={columns}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 20 }}
        locale={{ emptyText: t('reports.none') }}
      />
      <CreateTemplateModal
        open={creating}
        defaultCommand={command}
        onClose={() => setCreating(false)}
        onCreated={(tpl) => {
          setCreating(false);
          void navigate(`/reports/${tpl.id}`);
        }}
      />
    </Card>
  );
}
