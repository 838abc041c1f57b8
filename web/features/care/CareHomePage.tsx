// /care — 心理关爱, the counsellor's home, on a phone first: the urgent alerts still open at the top
// (red, each with its countdown to acknowledge and, for counsellors, the answers that raised it), then
// the contacts due by today, then the caseload page by page. Sending a scale (a one-time link to hand
// to the person) and taking a person onto the caseload are buttons at the top.
import { useState, type HTMLAttributes } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { Button, Card, Form, Modal, Select, Spin, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  CASE_STATUSES,
  openCareCase,
  useCareAlerts,
  useCareCases,
  useCareRefresh,
  type CareCaseStatus,
  type CaseSummary,
} from '../../api/care.js';
import { useAuth } from '../../app/auth.js';
import { useJurisdiction } from '../../app/jurisdiction.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { FilterBar } from '../../app/components/FilterBar.js';
import { ResponsiveTable } from '../../app/components/ResponsiveTable.js';
import { usePaging } from '../../app/usePaging.js';
import { formatMinute, shanghaiDay } from '../mediation/dates.js';
import { AlertList } from './AlertList.js';
import { CaseStatusTag, RiskTag } from './labels.js';
import SendScaleModal, { CarePersonPicker } from './SendScaleModal.js';
import './care.css';

function Alerts() {
  const { t } = useTranslation();
  const alerts = useCareAlerts();
  const items = alerts.data?.items ?? [];
  const open = items.filter((a) => a.status === 'open').length;
  return (
    <section
      className={`linli-task-list linli-care-section${open > 0 ? ' linli-care-urgent' : ''}`}
      data-testid="care-alerts"
      aria-labelledby="care-alerts-title"
    >
      <h2 className="linli-task-list-title" id="care-alerts-title">
        {t('care.alertsTitle')}
        {open > 0 && (
          <Tag color="red" style={{ marginInlineStart: 8 }}>
            {open}
          </Tag>
        )}
      </h2>
      {alerts.isError && <ErrorAlert error={alerts.error} />}
      {alerts.isLoading ? <Spin style={{ padding: 12 }} /> : <AlertList items={items} />}
    </section>
  );
}

/** The cases with a contact due by today, the most overdue first; each opens the case. */
function Due() {
  const { t } = useTranslation();
  const today = shanghaiDay();
  const due = useCareCases({ due: true, page: 1, pageSize: 50 });
  const items = due.data?.items ?? [];
  return (
    <section
      className="linli-task-list linli-care-section"
      data-testid="care-due"
      aria-labelledby="care-due-title"
    >
      <h2 className="linli-task-list-title" id="care-due-title">
        {t('care.dueTitle')}
      </h2>
      {due.isError && <ErrorAlert error={due.error} />}
      {due.isSuccess && items.length === 0 && (
        <p className="linli-muted linli-care-empty">{t('care.dueEmpty')}</p>
      )}
      <ul>
        {items.map((c) => (
          <li key={c.id} data-testid={`care-due-${c.id}`}>
            <Link to={`/care/cases/${c.id}`} className="linli-task">
              <span className="linli-task-title">{c.person.name}</span>
              <span className="linli-task-tags">
                <RiskTag risk={c.risk} />
                {c.openAlerts > 0 && <Tag color="red">{t('care.openAlerts', { count: c.openAlerts })}</Tag>}
              </span>
              <span
                className={
                  c.nextContactOn && c.nextContactOn < today
                    ? 'linli-task-meta linli-overdue'
                    : 'linli-task-meta'
                }
              >
                {t('care.contactDueOn', { date: c.nextContactOn ?? '—' })}
                {' · '}
                {c.lastContactAt
                  ? t('care.lastContact', { at: formatMinute(c.lastContactAt) })
                  : t('care.noContactYet')}
              </span>
              <span className="linli-task-meta">{c.node.name}</span>
            </Link>
          </li>
        ))}
      </ul>
      {(due.data?.total ?? 0) > items.length && (
        <p className="linli-muted linli-care-empty">
          {t('care.dueMore', { n: (due.data?.total ?? 0) - items.length })}
        </p>
      )}
    </section>
  );
}

function Caseload() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { node } = useJurisdiction();
  const today = shanghaiDay();
  const [status, setStatus] = useState<CareCaseStatus | undefined>();
  const { paging, first, pagination } = usePaging(20);
  const list = useCareCases({ status, node: node?.id, ...paging });
  return (
    <Card size="small" title={t('care.caseloadTitle')} data-testid="care-caseload">
      <FilterBar
        active={status ? 1 : 0}
        onClear={() => {
          setStatus(undefined);
          first();
        }}
        fields={[
          {
            id: 'care-case-status',
            label: t('care.status'),
            control: (
              <Select<CareCaseStatus>
                id="care-case-status"
                allowClear
                value={status}
                placeholder={t('common.all')}
                onChange={(v) => {
                  setStatus(v);
                  first();
                }}
                style={{ minWidth: 140 }}
                options={CASE_STATUSES.map((s) => ({ value: s, label: t(`care.caseStatus.${s}`) }))}
              />
            ),
          },
        ]}
        extra={node ? <Tag>{t('common.scopeOf', { name: node.name })}</Tag> : undefined}
      />
      {list.isError && <ErrorAlert error={list.error} style={{ marginBottom: 12 }} />}
      <ResponsiveTable<CaseSummary>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('care.noCases') }}
        onRow={(c) =>
          ({
            'data-testid': `care-case-${c.id}`,
            onClick: () => void navigate(`/care/cases/${c.id}`),
            style: { cursor: 'pointer' },
          }) as HTMLAttributes<HTMLElement>
        }
        columns={[
          {
            key: 'person',
            title: t('care.person'),
            render: (_: unknown, c: CaseSummary) => (
              <Link
                to={`/care/cases/${c.id}`}
                className="linli-care-rowlink"
                onClick={(e) => e.stopPropagation()}
              >
                {c.person.name}
              </Link>
            ),
          },
          {
            key: 'risk',
            title: t('care.riskLabel'),
            render: (_: unknown, c: CaseSummary) => (
              <span className="linli-care-tags">
                <RiskTag risk={c.risk} />
                {c.openAlerts > 0 && <Tag color="red">{t('care.openAlerts', { count: c.openAlerts })}</Tag>}
              </span>
            ),
          },
          {
            key: 'status',
            title: t('care.status'),
            render: (_: unknown, c: CaseSummary) => <CaseStatusTag status={c.status} />,
          },
          {
            key: 'next',
            title: t('care.nextContact'),
            render: (_: unknown, c: CaseSummary) =>
              c.nextContactOn ? (
                <span
                  className={c.nextContactOn < today && c.status !== 'closed' ? 'linli-overdue' : undefined}
                >
                  {c.nextContactOn}
                </span>
              ) : (
                '—'
              ),
          },
          {
            key: 'last',
            title: t('care.lastContactLabel'),
            render: (_: unknown, c: CaseSummary) => (c.lastContactAt ? formatMinute(c.lastContactAt) : '—'),
          },
          { key: 'node', title: t('care.place'), render: (_: unknown, c: CaseSummary) => c.node.name },
          {
            key: 'counsellor',
            title: t('care.counsellor'),
            responsive: ['lg' as const],
            render: (_: unknown, c: CaseSummary) => c.counsellor.name,
          },
        ]}
        pagination={pagination(list.data?.total)}
      />
    </Card>
  );
}

/** Taking a person onto one's caseload: found by name, then their new case opens. */
function OpenCaseModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const refresh = useCareRefresh();
  const [form] = Form.useForm<{ personId: number }>();
  const open = useMutation({
    mutationFn: (v: { personId: number }) => openCareCase(v.personId),
    onSuccess: (c) => {
      refresh();
      onClose();
      void navigate(`/care/cases/${c.id}`);
    },
  });
  return (
    <Modal
      open
      title={t('care.newCase')}
      onCancel={onClose}
      okText={t('care.newCaseOk')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      okButtonProps={{ loading: open.isPending }}
      destroyOnHidden
    >
      <Form
        form={form}
        name="care-new-case"
        layout="vertical"
        onFinish={(v) => open.mutate(v)}
        onValuesChange={() => open.reset()}
      >
        <Form.Item
          name="personId"
          label={t('care.person')}
          extra={t('care.personHelp')}
          rules={[{ required: true, message: t('care.personNeeded') }]}
        >
          <CarePersonPicker />
        </Form.Item>
      </Form>
      {open.isError && <ErrorAlert error={open.error} />}
    </Modal>
  );
}

export default function CareHomePage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [sending, setSending] = useState(false);
  const [opening, setOpening] = useState(false);
  return (
    <div className="linli-care-home">
      <div className="linli-page-title">
        <h1>{t('care.homeTitle')}</h1>
        <div className="linli-care-actions">
          {can('scales.send') && (
            <Button type="primary" onClick={() => setSending(true)}>
              {t('care.sendScale')}
            </Button>
          )}
          {can('counselling.work') && <Button onClick={() => setOpening(true)}>{t('care.newCase')}</Button>}
        </div>
      </div>
      <Alerts />
      <Due />
      <Caseload />
      {sending && <SendScaleModal onClose={() => setSending(false)} />}
      {opening && <OpenCaseModal onClose={() => setOpening(false)} />}
    </div>
  );
}
