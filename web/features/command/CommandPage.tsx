// /command — 指挥调度: the incident commands covering the caller's jurisdiction (open one, close one
// with a summary) and the directives issued from or sent to it, with their progress; issue a new
// directive from the chosen jurisdiction node.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import {
  App,
  Button,
  Card,
  Col,
  Empty,
  Form,
  Input,
  Modal,
  Progress,
  Row,
  Segmented,
  Select,
  Space,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { RESPONSE_LEVELS, RESPONSE_LEVEL_LABELS } from '../../../common/contracts/command-codes.js';
import {
  useCloseCommand,
  useCommands,
  useDirectives,
  useOpenCommand,
  type DirectiveSummary,
  type IncidentCommand,
} from '../../api/command.js';
import { useAuth } from '../../app/auth.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { FilterBar } from '../../app/components/FilterBar.js';
import { ResponsiveTable } from '../../app/components/ResponsiveTable.js';
import { formatTime, useLabel } from '../../app/format.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { useJurisdiction } from '../../app/jurisdiction.js';
import { IssueDirectiveModal } from './IssueDirectiveModal.js';
import { PriorityTag, ResponseLevelTag } from './labels.js';
import { RISK_RULES_VIEW } from '../defence/permissions.js';

function OpenCommandModal({
  open,
  onClose,
  node,
}: {
  open: boolean;
  onClose: () => void;
  node: { id: number; name: string };
}) {
  const { t } = useTranslation();
  const label = useLabel();
  const [form] = Form.useForm<{ name: string; responseLevel: IncidentCommand['responseLevel'] }>();
  const openCmd = useOpenCommand();
  const onError = useFormErrorHandler();
  return (
    <Modal
      open={open}
      title={t('command.openTitle', { node: node.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: openCmd.isPending }}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ responseLevel: 'II' }}
        onFinish={(v) =>
          openCmd.mutate(
            { ...v, nodeId: node.id },
            { onSuccess: onClose, onError: (e) => onError(e, form, ['name', 'responseLevel']) },
          )
        }
      >
        <Form.Item name="name" label={t('command.commandName')} rules={[{ required: true, max: 100 }]}>
          <Input placeholder={t('command.commandNameHint')} />
        </Form.Item>
        <Form.Item name="responseLevel" label={t('command.responseLevel')}>
          <Select
            options={RESPONSE_LEVELS.map((l) => ({ value: l, label: label(RESPONSE_LEVEL_LABELS[l]) }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CloseCommandModal({ command, onClose }: { command: IncidentCommand | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ summary: string }>();
  const close = useCloseCommand();
  const onError = useFormErrorHandler();
  return (
    <Modal
      open={!!command}
      title={t('command.closeTitle', { name: command?.name ?? '' })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: close.isPending, danger: true }}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) =>
          close.mutate(
            { id: command!.id, summary: v.summary },
            { onSuccess: onClose, onError: (e) => onError(e, form, ['summary']) },
          )
        }
      >
        <Form.Item name="summary" label={t('command.summary')} rules={[{ required: true, max: 2000 }]}>
          <Input.TextArea rows={4} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function CommandPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { node } = useJurisdiction();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const commands = useCommands();
  const [box, setBox] = useState<'all' | 'issued' | 'received'>('all');
  const [command, setCommand] = useState<number | undefined>();
  const [page, setPage] = useState(1);
  const directives = useDirectives({ box, command, page, pageSize: 20 });
  const [issuing, setIssuing] = useState(false);
  const [opening, setOpening] = useState(false);
  const [closing, setClosing] = useState<IncidentCommand | null>(null);

  const columns: TableColumnsType<DirectiveSummary> = [
    {
      title: t('command.directiveTitle'),
      render: (_, d) => (
        <Space wrap size={[8, 0]}>
          <Link to={`/directives/${d.id}`}>{d.title}</Link>
          <PriorityTag priority={d.priority} />
          {d.depth > 0 && <Tag>{t('command.relayOf', { depth: d.depth })}</Tag>}
        </Space>
      ),
    },
    { title: t('command.issuer'), render: (_, d) => d.issuer.name },
    { title: t('command.issuedAt'), render: (_, d) => formatTime(d.createdAt) },
    { title: t('command.reportDueAt'), render: (_, d) => formatTime(d.reportDueAt) },
    {
      title: t('command.progress'),
      render: (_, d) => (
        <Space>
          <Progress
            aria-label={t('command.progressOf', { name: d.title })}
            percent={d.counts.total ? Math.round((d.counts.reported / d.counts.total) * 100) : 0}
            size="small"
            style={{ width: 120 }}
          />
          <Typography.Text type="secondary">{`${d.counts.reported}/${d.counts.total}`}</Typography.Text>
          {d.counts.overdue > 0 && <Tag color="red">{t('command.overdueN', { n: d.counts.overdue })}</Tag>}
        </Space>
      ),
    },
  ];

  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('command.title')}</h1>
        <Space>
          {can('command.manage') && node && (
            <Button onClick={() => setOpening(true)}>{t('command.openCommand')}</Button>
          )}
          {can('directives.issue') && node && (
            <Button type="primary" data-testid="issue-directive" onClick={() => setIssuing(true)}>
              {t('command.issue')}
            </Button>
          )}
        </Space>
      </div>
      {commands.isError && <ErrorAlert error={commands.error} />}
      <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
        {(commands.data?.items ?? []).map((c) => (
          <Col key={c.id} xs={24} md={12} xl={8}>
            <Card
              size="small"
              title={
                <Space>
                  {c.name}
                  <ResponseLevelTag level={c.responseLevel} />
                </Space>
              }
              extra={
                c.closedAt ? <Tag>{t('command.closed')}</Tag> : <Tag color="red">{t('command.active')}</Tag>
              }
              data-testid={`command-${c.id}`}
            >
              <div>
                {t('command.covers', { node: c.node.name })} · {formatTime(c.startedAt)}
              </div>
              <div>
                {t('command.officers')}：{c.officers.map((o) => o.name).join('、') || '—'}
              </div>
              <div>{t('command.directivesN', { n: c.directives })}</div>
              {c.summary && (
                <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }}>
                  {c.summary}
                </Typography.Paragraph>
              )}
              <Space wrap style={{ marginTop: 8 }}>
                <Button size="small" onClick={() => setCommand(c.id)}>
                  {t('command.filterBy')}
                </Button>
                <Button size="small" onClick={() => void navigate(`/cockpit?command=${c.id}`)}>
                  {t('nav.cockpit')}
                </Button>
                {RISK_RULES_VIEW.some((p) => can(p)) && (
                  <Button
                    size="small"
                    data-testid={`command-risk-rules-${c.id}`}
                    onClick={() => void navigate(`/commands/${c.id}/risk-rules`)}
                  >
                    {t('riskRules.open')}
                  </Button>
                )}
                {c.abilities.close && (
                  <Button size="small" danger onClick={() => setClosing(c)}>
                    {t('command.closeCommand')}
                  </Button>
                )}
              </Space>
            </Card>
          </Col>
        ))}
        {commands.data?.items.length === 0 && (
          <Col span={24}>
            <Empty description={t('command.noCommands')} />
          </Col>
        )}
      </Row>
      <Card size="small">
        <FilterBar
          active={command === undefined ? 0 : 1}
          onClear={() => {
            setCommand(undefined);
            setPage(1);
          }}
          search={
            <Segmented<'all' | 'issued' | 'received'>
              aria-label={t('command.boxLabel')}
              value={box}
              onChange={(v) => {
                setBox(v);
                setPage(1);
              }}
              options={[
                { value: 'all', label: t('command.boxAll') },
                { value: 'issued', label: t('command.boxIssued') },
                { value: 'received', label: t('command.boxReceived') },
              ]}
            />
          }
          fields={[
            {
              id: 'directives-filter-command',
              label: t('command.command'),
              control: (
                <Select
                  id="directives-filter-command"
                  allowClear
                  style={{ minWidth: 200 }}
                  placeholder={t('common.all')}
                  value={command}
                  onChange={(v?: number) => {
                    setCommand(v);
                    setPage(1);
                  }}
                  options={(commands.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
                />
              ),
            },
          ]}
        />
        {directives.isError && <ErrorAlert error={directives.error} />}
        <ResponsiveTable<DirectiveSummary>
          rowKey="id"
          data-testid="directives"
          loading={directives.isLoading}
          columns={columns}
          dataSource={directives.data?.items ?? []}
          scroll={{ x: 800 }}
          pagination={{
            current: page,
            pageSize: 20,
            total: directives.data?.total ?? 0,
            onChange: setPage,
            showSizeChanger: false,
          }}
        />
      </Card>
      {node && issuing && (
        <IssueDirectiveModal
          open
          issuer={node}
          onClose={() => setIssuing(false)}
          onDone={(d) => {
            setIssuing(false);
            void message.info(d.title);
            void navigate(`/directives/${d.id}`);
          }}
        />
      )}
      {node && <OpenCommandModal open={opening} onClose={() => setOpening(false)} node={node} />}
      <CloseCommandModal command={closing} onClose={() => setClosing(null)} />
    </div>
  );
}
