// /audit — the keyed, hash-chained audit log within the chosen node, with filters, chain
// verification and, for a district-level auditor, the chain's signed anchors to print or send up.
import { useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Form,
  Input,
  Space,
  Tag,
  Tooltip,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.js';
import {
  useAnchorAuditNow,
  useAuditAnchors,
  useAuditLog,
  verifyAuditChain,
  type AuditAnchorView,
} from '../../api/audit.js';
import { useRootNodes } from '../../api/nodes.js';
import type { AuditEntry, AuditVerifyResult } from '../../api/types.js';
import { isMessageCode, renderMessage, type Lang } from '../../../common/messages/index.js';
import { currentLang } from '../../app/i18n.js';
import { useJurisdiction } from '../../app/jurisdiction.js';
import { formatTime } from '../../app/format.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { FilterBar } from '../../app/components/FilterBar.js';
import { ResponsiveTable } from '../../app/components/ResponsiveTable.js';

interface Filters {
  actor?: string;
  entityType?: string;
  entityId?: string;
  action?: string;
}

const clean = (f: Filters): Filters => ({
  actor: f.actor?.trim() || undefined,
  entityType: f.entityType?.trim() || undefined,
  entityId: f.entityId?.trim() || undefined,
  action: f.action?.trim() || undefined,
});

// verifyAuditChain's reasons are codes (server/platform/audit.ts, `AuditFailure`), each with a text
// in both languages under audit.reasons.
/** An audit action's label (`notice.deliver` → 登记告知书送达); an action without one shows its code. */
function actionLabel(action: string, lang: Lang): string {
  const code = `audit.action.${action}`;
  return isMessageCode(code) ? renderMessage(code, undefined, lang) : action;
}

function VerifyResult({ result }: { result: AuditVerifyResult }) {
  const { t } = useTranslation();
  if (result.ok)
    return (
      <Alert
        data-testid="audit-verify-result"
        type="success"
        showIcon
        title={t('audit.verifyOk', { checked: result.checked, anchors: result.anchors })}
      />
    );
  return (
    <Alert
      data-testid="audit-verify-result"
      type="error"
      showIcon
      title={t('audit.verifyBroken', { checked: result.checked, id: result.firstBrokenId ?? '?' })}
      description={
        <>
          {result.reason && t(`audit.reasons.${result.reason}` as const)}
          {result.brokenAnchorLine !== null && (
            <div>{t('audit.brokenAnchorLine', { line: result.brokenAnchorLine })}</div>
          )}
        </>
      }
    />
  );
}

/** A long hex or base64 value: wrapped, monospace, copyable (for printing or sending up a level). */
const Long = ({ v, testId }: { v: string; testId?: string }) => (
  <Typography.Text code copyable data-testid={testId} style={{ wordBreak: 'break-all' }}>
    {v}
  </Typography.Text>
);

/** The newest anchors, the key that checks them, and the button that anchors the head now. */
function Anchors() {
  const { t } = useTranslation();
  const anchors = useAuditAnchors();
  const anchorNow = useAnchorAuditNow();
  // Not a district-level auditor: there is nothing of the whole chain to show.
  if (anchors.error instanceof ApiError && anchors.error.status === 403) return null;
  const columns: TableColumnsType<AuditAnchorView> = [
    {
      title: t('audit.anchorKind'),
      dataIndex: 'kind',
      key: 'kind',
      render: (v: AuditAnchorView['kind']) => (
        <Tag color={v === 'seal' ? 'gold' : 'blue'}>
          {t(v === 'seal' ? 'audit.kindSeal' : 'audit.kindAnchor')}
        </Tag>
      ),
    },
    { title: t('audit.anchorRow'), dataIndex: 'rowId', key: 'rowId', render: (v: number) => `#${v}` },
    { title: t('audit.hash'), dataIndex: 'hash', key: 'hash', render: (v: string) => <Long v={v} /> },
    {
      title: t('audit.anchoredAt'),
      dataIndex: 'at',
      key: 'at',
      render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatTime(v)}</span>,
    },
    { title: t('audit.signature'), dataIndex: 'sig', key: 'sig', render: (v: string) => <Long v={v} /> },
  ];
  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      title={t('audit.anchorsTitle')}
      extra={
        <Space wrap>
          <Button data-testid="audit-print" onClick={() => window.print()} style={{ minHeight: 44 }}>
            {t('audit.print')}
          </Button>
          <Button
            data-testid="audit-anchor-now"
            type="primary"
            loading={anchorNow.isPending}
            onClick={() => anchorNow.mutate()}
            style={{ minHeight: 44 }}
          >
            {t('audit.anchorNow')}
          </Button>
        </Space>
      }
    >
      {anchors.isError && <ErrorAlert error={anchors.error} style={{ marginBottom: 12 }} />}
      {anchorNow.isError && <ErrorAlert error={anchorNow.error} style={{ marginBottom: 12 }} />}
      {anchors.data && (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t('audit.anchorsHelp')}
          <br />
          {t('audit.publicKey', { id: anchors.data.keyId })}{' '}
          <Long v={anchors.data.publicKey} testId="audit-public-key" />
        </Typography.Paragraph>
      )}
      <ResponsiveTable<AuditAnchorView>
        data-testid="audit-anchors"
        rowKey={(a) => `${a.kind}-${a.rowId}-${a.at}`}
        size="small"
        loading={anchors.isFetching}
        dataSource={anchors.data?.items ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('audit.noAnchors') }}
      />
    </Card>
  );
}

export default function AuditPage() {
  const { t, i18n } = useTranslation();
  const { node } = useJurisdiction();
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [paging, setPaging] = useState({ key: '', page: 1, pageSize: 20 });
  const filterKey = JSON.stringify([node?.id, filters]);
  const page = paging.key === filterKey ? paging.page : 1;
  const pageSize = paging.pageSize;

  // At one of the caller's scope roots the whole scope is meant: send no node, so entries placed at no
  // node (sign-ins, role edits) are listed too for those allowed to see them.
  const roots = useRootNodes();
  const nodeParam = node && !roots.data?.some((r) => r.id === node.id) ? node.id : undefined;
  const audit = useAuditLog({ node: nodeParam, ...filters, page, pageSize }, !roots.isPending);
  const verify = useMutation({ mutationFn: verifyAuditChain });

  const columns: TableColumnsType<AuditEntry> = [
    {
      title: t('audit.at'),
      dataIndex: 'at',
      key: 'at',
      width: 170,
      render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatTime(v)}</span>,
    },
    { title: t('audit.actor'), dataIndex: 'actorLabel', key: 'actor' },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      key: 'action',
      // The label from the registry; the code stays visible on hover (and is what the filter takes).
      render: (v: string) => (
        <Tag title={v} data-testid="audit-action">
          {actionLabel(v, currentLang(i18n.language))}
        </Tag>
      ),
    },
    {
      title: t('audit.entity'),
      key: 'entity',
      render: (_v, r) => (
        <span style={{ whiteSpace: 'nowrap' }}>
          {r.entityType}
          {r.entityId ? ` #${r.entityId}` : ''}
        </span>
      ),
    },
    {
      // The reason given for a reveal or export is what an auditor reads first.
      title: t('audit.reason'),
      key: 'reason',
      render: (_v, r) => {
        const d = r.detail as { reason?: unknown; field?: unknown } | null;
        return typeof d?.reason === 'string' ? (
          <span data-testid={`audit-reason-${r.id}`}>
            {typeof d.field === 'string' ? `${d.field}: ` : ''}
            {d.reason}
          </span>
        ) : null;
      },
    },
    {
      title: t('audit.nodePath'),
      dataIndex: 'nodePath',
      key: 'nodePath',
      render: (v: string | null) => v ?? '',
    },
    {
      title: t('audit.requestId'),
      dataIndex: 'requestId',
      key: 'requestId',
      render: (v: string | null) => (v ? <Typography.Text code>{v}</Typography.Text> : ''),
    },
    {
      title: t('audit.hash'),
      dataIndex: 'hash',
      key: 'hash',
      render: (v: string) => (
        <Tooltip title={v}>
          <Typography.Text code>{v.slice(0, 12)}</Typography.Text>
        </Tooltip>
      ),
    },
  ];

  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('audit.title')}</h1>
        <Button data-testid="audit-verify" onClick={() => verify.mutate()} loading={verify.isPending}>
          {t('audit.verify')}
        </Button>
      </div>
      {verify.data && (
        <div style={{ marginBottom: 12 }}>
          <VerifyResult result={verify.data} />
        </div>
      )}
      {verify.isError && <ErrorAlert error={verify.error} style={{ marginBottom: 12 }} />}
      <Anchors />
      <Form<Filters> form={form} component={false} onFinish={(v) => setFilters(clean(v))}>
        <FilterBar
          active={Object.keys(filters).length}
          onApply={() => form.submit()}
          onClear={() => {
            form.resetFields();
            setFilters({});
          }}
          fields={[
            {
              id: 'audit-filter-actor',
              label: t('audit.filterActor'),
              control: (
                <Form.Item name="actor" noStyle>
                  <Input
                    id="audit-filter-actor"
                    data-testid="audit-filter-actor"
                    allowClear
                    maxLength={64}
                    onPressEnter={() => form.submit()}
                  />
                </Form.Item>
              ),
            },
            {
              id: 'audit-filter-entity-type',
              label: t('audit.filterEntityType'),
              control: (
                <Form.Item name="entityType" noStyle>
                  <Input
                    id="audit-filter-entity-type"
                    data-testid="audit-filter-entity-type"
                    allowClear
                    maxLength={50}
                    onPressEnter={() => form.submit()}
                  />
                </Form.Item>
              ),
            },
            {
              id: 'audit-filter-entity-id',
              label: t('audit.filterEntityId'),
              control: (
                <Form.Item name="entityId" noStyle>
                  <Input
                    id="audit-filter-entity-id"
                    data-testid="audit-filter-entity-id"
                    allowClear
                    maxLength={50}
                    onPressEnter={() => form.submit()}
                  />
                </Form.Item>
              ),
            },
            {
              id: 'audit-filter-action',
              label: t('audit.filterAction'),
              control: (
                <Form.Item name="action" noStyle>
                  <Input
                    id="audit-filter-action"
                    data-testid="audit-filter-action"
                    allowClear
                    maxLength={80}
                    onPressEnter={() => form.submit()}
                  />
                </Form.Item>
              ),
            },
          ]}
          actions={
            <>
              <Button type="primary" onClick={() => form.submit()} data-testid="audit-filter-submit">
                {t('common.search')}
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  setFilters({});
                }}
              >
                {t('common.reset')}
              </Button>
            </>
          }
        />
      </Form>
      {node && (
        <div style={{ marginBottom: 8 }}>
          <Tag>{t('common.scopeOf', { name: node.name })}</Tag>
          <Typography.Text type="secondary">{t('audit.timezone')}</Typography.Text>
        </div>
      )}
      {audit.isError && <ErrorAlert error={audit.error} style={{ marginBottom: 12 }} />}
      <ResponsiveTable<AuditEntry>
        data-testid="audit-table"
        cardTitle="action"
        rowKey="id"
        size="small"
        loading={audit.isFetching}
        dataSource={audit.data?.items ?? []}
        columns={columns}
        scroll={{ x: 'max-content' }}
        expandable={{
          rowExpandable: (r) => r.detail !== null && r.detail !== undefined,
          expandedRowRender: (r) => (
            <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all', maxWidth: '90vw' }}>
              {JSON.stringify(r.detail, null, 2)}
            </pre>
          ),
        }}
        pagination={{
          current: page,
          pageSize,
          total: audit.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total }),
          onChange: (p, ps) => setPaging({ key: filterKey, page: ps !== pageSize ? 1 : p, pageSize: ps }),
        }}
      />
    </div>
  );
}
