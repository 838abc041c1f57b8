// /directives/:id — one directive: its chain of instructions from the top of the cascade, what the
// caller must do at their own node (sign for, report back, relay down), the tracking board over
// the whole cascade (per level, drill-down by node, laggards reminded in one click) and the history.
// Live updates refresh it without a reload.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  App,
  Breadcrumb,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Row,
  Segmented,
  Space,
  Statistic,
  Tag,
  Timeline,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useTranslation } from 'react-i18next';
import {
  useBoard,
  useDirective,
  useRemind,
  useTargetStep,
  type BoardResponse,
  type DirectiveDetail,
  type DirectiveTarget,
} from '../../api/command.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { ResponsiveTable } from '../../app/components/ResponsiveTable.js';
import { PageSpin } from '../../app/components/PageSpin.js';
import { formatTime, useLevelLabel } from '../../app/format.js';
import { useFormErrorHandler } from '../../app/forms.js';
import type { Level } from '../../../common/tree.js';
import { AttachmentLinks, AttachmentPicker } from './Attachments.js';
import { IssueDirectiveModal } from './IssueDirectiveModal.js';
import { PriorityTag, TargetStateTag } from './labels.js';

type Status = 'all' | 'pending' | 'signed' | 'reported' | 'overdue';
type BoardTarget = BoardResponse['targets'][number];

function ReportModal({ target, onClose }: { target: DirectiveTarget | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{
    text: string;
    figures?: { name: string; value: number }[];
    files?: string[];
  }>();
  const step = useTargetStep();
  const onError = useFormErrorHandler();
  // Submit waits for files still uploading: a report sent meanwhile would leave them out.
  const [filesBusy, setFilesBusy] = useState(false);
  return (
    <Modal
      open={!!target}
      title={t('command.reportTitle', { node: target?.node.name ?? '' })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: step.isPending || filesBusy, 'data-testid': 'report-submit' }}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) =>
          step.mutate(
            {
              targetId: target!.id,
              action: 'report',
              body: {
                text: v.text,
                figures: Object.fromEntries(
                  (v.figures ?? []).filter((f) => f?.name).map((f) => [f.name, f.value]),
                ),
                ...(v.files?.length ? { files: v.files } : {}),
              },
            },
            { onSuccess: onClose, onError: (e) => onError(e, form, ['text', 'files']) },
          )
        }
      >
        <Form.Item name="text" label={t('command.reportText')} rules={[{ required: true, max: 5000 }]}>
          <Input.TextArea rows={4} data-testid="report-text" />
        </Form.Item>
        <Form.List name="figures">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline">
                  <Form.Item name={[f.name, 'name']} rules={[{ required: true, max: 40 }]}>
                    <Input
                      placeholder={t('command.figureName')}
                      aria-label={t('command.figureName')}
                      data-testid={`figure-name-${f.name}`}
                    />
                  </Form.Item>
                  <Form.Item name={[f.name, 'value']} rules={[{ required: true }]}>
                    <InputNumber
                      placeholder={t('command.figureValue')}
                      aria-label={t('command.figureValue')}
                      data-testid={`figure-value-${f.name}`}
                    />
                  </Form.Item>
                  <Button type="link" onClick={() => remove(f.name)}>
                    {t('common.remove')}
                  </Button>
                </Space>
              ))}
              <Button onClick={() => add()} data-testid="figure-add">
                {t('command.addFigure')}
              </Button>
            </>
          )}
        </Form.List>
        <Form.Item name="files" label={t('command.attachments')} style={{ marginTop: 16 }}>
          <AttachmentPicker testId="report-files" onBusyChange={setFilesBusy} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function MyTargets({ targets }: { targets: DirectiveTarget[] }) {
  const { t } = useTranslation();
  const step = useTargetStep();
  const onError = useFormErrorHandler();
  const [reporting, setReporting] = useState<DirectiveTarget | null>(null);
  if (targets.length === 0) return null;
  return (
    <Card size="small" title={t('command.myTargets')} style={{ marginBottom: 16 }} data-testid="my-targets">
      {targets.map((x) => (
        <Space
          key={x.id}
          wrap
          style={{ width: '100%', justifyContent: 'space-between', padding: '4px 0' }}
          data-testid={`my-target-${x.node.id}`}
        >
          <Space wrap>
            <b>{x.node.name}</b>
            <TargetStateTag state={x.state} />
            {x.overdue && <Tag color="red">{t('command.overdue')}</Tag>}
            <Typography.Text type="secondary">
              {x.state === 'pending'
                ? `${t('command.signDueAt')} ${formatTime(x.signDueAt)}`
                : `${t('command.reportDueAt')} ${formatTime(x.reportDueAt)}`}
            </Typography.Text>
            {x.relayId && <Link to={`/directives/${x.relayId}`}>{t('command.seeRelay')}</Link>}
            <AttachmentLinks
              directiveId={x.directiveId}
              files={x.files}
              testId={`my-target-files-${x.node.id}`}
            />
          </Space>
          <Space>
            {x.actions.includes('sign') && (
              <Button
                type="primary"
                loading={step.isPending}
                data-testid="target-sign"
                onClick={() =>
                  step.mutate({ targetId: x.id, action: 'sign' }, { onError: (e) => onError(e) })
                }
              >
                {t('command.sign')}
              </Button>
            )}
            {x.actions.includes('report') && (
              <Button type="primary" data-testid="target-report" onClick={() => setReporting(x)}>
                {t('command.report')}
              </Button>
            )}
          </Space>
        </Space>
      ))}
      <ReportModal target={reporting} onClose={() => setReporting(null)} />
    </Card>
  );
}

/** Relaying down from a node the caller commands: a town passing it to its villages with its own instructions. */
function RelayFrom({ directive }: { directive: DirectiveDetail }) {
  const { t } = useTranslation();
  const [from, setFrom] = useState<DirectiveDetail['relayFrom'][number] | null>(null);
  if (directive.relayFrom.length === 0) return null;
  return (
    <Card size="small" style={{ marginBottom: 16 }} data-testid="relay-from">
      <Space wrap>
        <Typography.Text>{t('command.relayHint')}</Typography.Text>
        {directive.relayFrom.map((n) => (
          <Button key={n.id} data-testid={`relay-from-${n.id}`} onClick={() => setFrom(n)}>
            {t('command.relayFromNode', { node: n.name })}
          </Button>
        ))}
      </Space>
      {from && (
        <IssueDirectiveModal
          open
          issuer={from}
          relay={{ directiveId: directive.id, title: directive.title }}
          onClose={() => setFrom(null)}
          onDone={() => setFrom(null)}
        />
      )}
    </Card>
  );
}

function Board({ id, canRemind }: { id: number; canRemind: boolean }) {
  const { t } = useTranslation();
  const levelLabel = useLevelLabel();
  const { message } = App.useApp();
  const [trail, setTrail] = useState<{ id: number; name: string }[]>([]);
  const [status, setStatus] = useState<Status>('all');
  const node = trail.at(-1)?.id;
  const board = useBoard(id, node, status);
  const remind = useRemind();
  const onError = useFormErrorHandler();
  const b = board.data;
  if (board.isError) return <ErrorAlert error={board.error} />;
  if (!b) return <PageSpin />;
  const children: TableColumnsType<BoardResponse['children'][number]> = [
    {
      title: t('command.place'),
      render: (_, r) =>
        r.self ? (
          r.node.name
        ) : (
          <a
            data-testid={`board-drill-${r.node.id}`}
            onClick={() => setTrail([...trail, { id: r.node.id, name: r.node.name }])}
          >
            {r.node.name}
          </a>
        ),
    },
    { title: t('command.total'), dataIndex: 'total' },
    { title: t('command.pending'), dataIndex: 'pending' },
    { title: t('command.signed'), dataIndex: 'signed' },
    { title: t('command.reported'), dataIndex: 'reported' },
    {
      title: t('command.overdue'),
      dataIndex: 'overdue',
      render: (v: number) => (v > 0 ? <Typography.Text type="danger">{v}</Typography.Text> : v),
    },
    {
      title: t('command.progress'),
      render: (_, r) => (
        <Progress
          aria-label={t('command.progressOf', { name: r.node.name })}
          percent={r.total ? Math.round((r.reported / r.total) * 100) : 0}
          size="small"
          style={{ minWidth: 100 }}
        />
      ),
    },
  ];
  const targetCols: TableColumnsType<BoardTarget> = [
    { title: t('command.place'), render: (_, r) => r.node.name },
    { title: t('command.level'), render: (_, r) => levelLabel(r.node.level as Level) },
    {
      title: t('command.state'),
      render: (_, r) => (
        <Space size={4}>
          <TargetStateTag state={r.state} />
          {r.overdue && <Tag color="red">{t('command.overdue')}</Tag>}
          {r.escalated && <Tag color="volcano">{t('command.escalated')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('command.directive'),
      render: (_, r) =>
        r.depth > 0 ? (
          <Link to={`/directives/${r.directiveId}`}>{t('command.relayOf', { depth: r.depth })}</Link>
        ) : (
          t('command.original')
        ),
    },
    {
      title: t('command.signedAt'),
      render: (_, r) => (r.signedAt ? `${formatTime(r.signedAt)} ${r.signedBy ?? ''}` : '—'),
    },
    {
      title: t('command.reportedAt'),
      render: (_, r) => (r.reportedAt ? `${formatTime(r.reportedAt)} ${r.reportedBy ?? ''}` : '—'),
    },
    {
      title: t('command.reportText'),
      render: (_, r) =>
        r.reportText ? (
          <span>
            {r.reportText}
            {r.reportFigures && Object.keys(r.reportFigures).length > 0 && (
              <Typography.Text type="secondary">
                {' '}
                ·{' '}
                {Object.entries(r.reportFigures)
                  .map(([k, v]) => `${k} ${v}`)
                  .join('，')}
              </Typography.Text>
            )}
            <div>
              <AttachmentLinks
                directiveId={r.directiveId}
                files={r.files}
                testId={`board-files-${r.node.id}`}
              />
            </div>
          </span>
        ) : (
          '—'
        ),
    },
  ];
  const laggards = b.levels.reduce((n, l) => n + l.total - l.reported, 0);
  return (
    <Card
      title={t('command.board')}
      data-testid="board"
      extra={
        canRemind && (
          <Button
            danger
            disabled={laggards === 0}
            loading={remind.isPending}
            data-testid="board-remind"
            onClick={() =>
              remind.mutate(
                { id, ...(node ? { nodeId: node } : {}) },
                {
                  onSuccess: (r) =>
                    void message.success(t('command.reminded', { n: r.reminded, users: r.users })),
                  onError: (e) => onError(e),
                },
              )
            }
          >
            {t('command.remind', { n: laggards })}
          </Button>
        )
      }
    >
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          {
            title: (
              <a onClick={() => setTrail([])}>{trail.length === 0 ? b.node.name : t('command.boardTop')}</a>
            ),
          },
          ...trail.map((n, i) => ({
            title: <a onClick={() => setTrail(trail.slice(0, i + 1))}>{n.name}</a>,
          })),
        ]}
      />
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        {b.levels.map((l) => (
          <Col key={l.level} xs={24} md={12} lg={8}>
            <Card size="small" title={levelLabel(l.level as Level)} data-testid={`board-level-${l.level}`}>
              <Space size="large" wrap>
                <Statistic title={t('command.pending')} value={l.pending} />
                <Statistic title={t('command.signed')} value={l.signed} />
                <Statistic
                  title={t('command.reported')}
                  value={l.reported}
                  valueStyle={{ color: '#389e0d' }}
                />
                <Statistic
                  title={t('command.overdue')}
                  value={l.overdue}
                  valueStyle={{ color: l.overdue ? '#c8102e' : undefined }}
                />
              </Space>
              <div
                data-testid={`board-level-${l.level}-counts`}
                style={{ display: 'none' }}
              >{`${l.pending}/${l.signed}/${l.reported}/${l.overdue}`}</div>
            </Card>
          </Col>
        ))}
      </Row>
      {b.cascade.length > 0 && (
        <div style={{ marginBottom: 12 }} data-testid="board-cascade">
          <Typography.Text strong>{t('command.cascade')}：</Typography.Text>
          {b.cascade.map((c) => (
            <Tag key={c.id} style={{ marginInlineStart: (c.depth - 1) * 16 }}>
              <Link to={`/directives/${c.id}`}>{t('command.relayBy', { node: c.issuer.name })}</Link> ·{' '}
              {c.counts.reported}/{c.counts.total}
            </Tag>
          ))}
        </div>
      )}
      <ResponsiveTable
        rowKey={(r) => r.node.id}
        size="small"
        columns={children}
        dataSource={b.children}
        pagination={false}
        style={{ marginBottom: 16 }}
        data-testid="board-children"
      />
      <Segmented<Status>
        value={status}
        onChange={setStatus}
        data-testid="board-status"
        aria-label={t('command.state')}
        options={(['all', 'pending', 'signed', 'reported', 'overdue'] as const).map((s) => ({
          value: s,
          label: t(`command.status_${s}`),
        }))}
        style={{ marginBottom: 8 }}
      />
      <ResponsiveTable
        rowKey="id"
        size="small"
        columns={targetCols}
        dataSource={b.targets}
        pagination={{ pageSize: 20 }}
        scroll={{ x: 900 }}
        data-testid="board-targets"
      />
      {b.truncated && <Typography.Text type="secondary">{t('command.truncated')}</Typography.Text>}
    </Card>
  );
}

export default function DirectivePage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const d = useDirective(id);
  if (d.isError) return <ErrorAlert error={d.error} />;
  if (!d.data) return <PageSpin />;
  const x = d.data;
  return (
    <div>
      <div className="linli-page-title">
        <h1 data-testid="directive-title-text">
          <Space wrap>
            {x.title}
            <PriorityTag priority={x.priority} />
            {x.depth > 0 && <Tag>{t('command.relayOf', { depth: x.depth })}</Tag>}
          </Space>
        </h1>
      </div>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('command.issuer')}>{x.issuer.name}</Descriptions.Item>
          <Descriptions.Item label={t('command.issuedBy')}>{x.issuedBy}</Descriptions.Item>
          <Descriptions.Item label={t('command.issuedAt')}>{formatTime(x.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={t('command.signDueAt')}>{formatTime(x.signDueAt)}</Descriptions.Item>
          <Descriptions.Item label={t('command.reportDueAt')}>{formatTime(x.reportDueAt)}</Descriptions.Item>
          <Descriptions.Item label={t('command.progress')}>
            <span data-testid="directive-progress">{`${x.counts.reported}/${x.counts.total}`}</span>
          </Descriptions.Item>
        </Descriptions>
        <Timeline
          style={{ marginTop: 12 }}
          items={x.lineage.map((l) => ({
            children: (
              <div>
                <Typography.Text strong>{l.issuer.name}</Typography.Text>{' '}
                <Typography.Text type="secondary">{formatTime(l.createdAt)}</Typography.Text>
                <div style={{ whiteSpace: 'pre-wrap' }}>{l.body}</div>
                <AttachmentLinks directiveId={x.id} files={l.files} testId={`lineage-files-${l.id}`} />
              </div>
            ),
          }))}
        />
      </Card>
      <MyTargets targets={x.myTargets} />
      <RelayFrom directive={x} />
      {x.abilities.board && <Board id={x.id} canRemind={x.abilities.remind} />}
      <Card size="small" title={t('command.history')} style={{ marginTop: 16 }}>
        {x.history.length === 0 ? (
          <Empty />
        ) : (
          <Timeline
            items={x.history.map((h) => ({
              color: h.action === 'escalate' ? 'red' : h.action === 'report' ? 'green' : 'blue',
              children: `${formatTime(h.at)} · ${h.node} · ${t(`command.action_${h.action}` as 'command.action_issue', { defaultValue: h.action })} · ${h.actor}${h.text && h.action !== 'issue' && h.action !== 'relay_issue' && h.action !== 'relay' && h.action !== 'remind' ? ` · ${h.text}` : ''}`,
            }))}
          />
        )}
      </Card>
    </div>
  );
}
