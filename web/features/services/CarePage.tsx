// /care — 关爱走访: the residents on the care roster of the chosen place (lone elderly, left-behind
// children, the disabled…), soonest due first, with a filter for the overdue; the overdue visits per
// grid as bars, where a place falls behind shows at a glance; assigning the volunteer who visits and
// recording a visit, as each entry's abilities allow; the district sets how often each group is
// visited.
import { lazy, Suspense, useEffect, useState, type HTMLAttributes } from 'react';
import { useMutation } from '@tanstack/react-query';
import { App, Button, Card, InputNumber, Modal, Segmented, Select, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  assignVisitor,
  setCareRules,
  useCareOverdue,
  useCareRoster,
  useCareRules,
  useServicesRefresh,
  useVolunteers,
  type CareTag,
  type RosterEntryView,
} from '../../api/services.js';
import { useAuth } from '../../app/auth.js';
import { useJurisdiction } from '../../app/jurisdiction.js';
import { useDebounced } from '../../app/useDebounced.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { FilterBar } from '../../app/components/FilterBar.js';
import { PageSpin } from '../../app/components/PageSpin.js';
import { ResponsiveTable } from '../../app/components/ResponsiveTable.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { usePaging } from '../../app/usePaging.js';
import { SERVICES_LIMITS } from '../../../common/contracts/services-codes.js';
import { VisitModal } from './VisitModal.js';
import './services.css';

const BarsChart = lazy(() => import('./BarsChart.js'));

/** How many grids the chart shows: those furthest behind. */
const CHART_GRIDS = 15;

function OverdueChart() {
  const { t } = useTranslation();
  const { node } = useJurisdiction();
  const overdue = useCareOverdue(node?.id);
  const behind = (overdue.data?.items ?? []).filter((g) => g.overdue > 0).slice(0, CHART_GRIDS);
  return (
    <Card size="small" title={t('services.overdueByGrid')} data-testid="care-overdue">
      {overdue.isError && <ErrorAlert error={overdue.error} />}
      {overdue.isSuccess && behind.length === 0 && <p className="linli-muted">{t('services.noneOverdue')}</p>}
      {behind.length > 0 && (
        <Suspense fallback={<PageSpin />}>
          <BarsChart
            testId="care-overdue-chart"
            label={t('services.overdueByGrid')}
            series={t('services.overdueVisits')}
            color="#cf1322"
            bars={behind.map((g) => ({ name: g.node.name, value: g.overdue }))}
          />
        </Suspense>
      )}
    </Card>
  );
}

function Rules() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const onError = useFormErrorHandler();
  const refresh = useServicesRefresh();
  const rules = useCareRules();
  const manages = can('care_rules.manage');
  const [days, setDays] = useState<Partial<Record<CareTag, number>>>({});
  const items = rules.data?.items ?? [];
  useEffect(() => {
    if (rules.data) setDays(Object.fromEntries(rules.data.items.map((r) => [r.tag, r.everyDays])));
  }, [rules.data]);
  const save = useMutation({
    mutationFn: () =>
      setCareRules({ rules: items.map((r) => ({ tag: r.tag, everyDays: days[r.tag] ?? r.everyDays })) }),
    onSuccess: () => {
      void message.success(t('common.saved'));
      refresh();
    },
    onError: (e) => onError(e),
  });
  return (
    <Card size="small" title={t('services.rulesTitle')} data-testid="care-rules">
      {rules.isError && <ErrorAlert error={rules.error} />}
      <ul className="linli-svc-rows">
        {items.map((r) => (
          <li key={r.tag}>
            <label className="linli-svc-grow" htmlFor={`rule-${r.tag}`}>
              {t(`services.careTag.${r.tag}`)}
            </label>
            {manages ? (
              <InputNumber
                id={`rule-${r.tag}`}
                min={1}
                max={SERVICES_LIMITS.careDaysMax}
                value={days[r.tag]}
                onChange={(v) => setDays((d) => ({ ...d, [r.tag]: v ?? undefined }))}
                suffix={t('services.days')}
                style={{ width: 120 }}
              />
            ) : (
              <span id={`rule-${r.tag}`}>{t('services.everyDays', { n: r.everyDays })}</span>
            )}
          </li>
        ))}
      </ul>
      {manages && (
        <div className="linli-svc-actions">
          <Button
            type="primary"
            loading={save.isPending}
            onClick={() => save.mutate()}
            data-testid="rules-save"
          >
            {t('common.save')}
          </Button>
        </div>
      )}
    </Card>
  );
}

function VisitorModal({ entry, onClose }: { entry: RosterEntryView; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const onError = useFormErrorHandler();
  const refresh = useServicesRefresh();
  const [typed, setTyped] = useState('');
  const q = useDebounced(typed.trim(), 250);
  const found = useVolunteers({ status: 'active', q: q || undefined, page: 1, pageSize: 20 });
  const [chosen, setChosen] = useState<number | null>(entry.visitor?.id ?? null);
  const save = useMutation({
    mutationFn: () => assignVisitor(entry.id, { volunteerId: chosen }),
    onSuccess: () => {
      void message.success(t('common.saved'));
      refresh();
      onClose();
    },
    onError: (e) => onError(e),
  });
  const options = (found.data?.items ?? []).map((v) => ({
    value: v.id,
    label: `${v.name} · ${v.home.name}`,
  }));
  if (entry.visitor && !options.some((o) => o.value === entry.visitor!.id))
    options.unshift({ value: entry.visitor.id, label: entry.visitor.name });
  return (
    <Modal
      open
      title={t('services.visitorTitle', { name: entry.person.name })}
      onCancel={onClose}
      onOk={() => save.mutate()}
      okButtonProps={{ loading: save.isPending }}
      destroyOnHidden
    >
      <label htmlFor="visitor-select">{t('services.visitor')}</label>
      <Select<number>
        id="visitor-select"
        showSearch={{ filterOption: false, onSearch: setTyped }}
        allowClear
        style={{ width: '100%' }}
        value={chosen ?? undefined}
        onChange={(v) => setChosen(v ?? null)}
        loading={found.isFetching}
        placeholder={t('services.searchName')}
        options={options}
      />
    </Modal>
  );
}

export default function CarePage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { node } = useJurisdiction();
  const [overdue, setOverdue] = useState(false);
  const { paging, first, pagination } = usePaging(20);
  const [visiting, setVisiting] = useState<RosterEntryView | null>(null);
  const [assigning, setAssigning] = useState<RosterEntryView | null>(null);
  const reads = can('volunteers.read');
  const roster = useCareRoster({ node: node?.id, overdue, ...paging }, reads);
  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('services.careTitle')}</h1>
      </div>
      <div className="linli-svc-cardstack">
        {reads && <OverdueChart />}
        {reads && (
          <Card size="small" title={t('services.rosterTitle')} data-testid="care-roster">
            <FilterBar
              active={overdue ? 1 : 0}
              onClear={() => setOverdue(false)}
              fields={[
                {
                  id: 'roster-overdue',
                  label: t('services.show'),
                  group: true,
                  control: (
                    <Segmented<'all' | 'overdue'>
                      value={overdue ? 'overdue' : 'all'}
                      onChange={(v) => {
                        setOverdue(v === 'overdue');
                        first();
                      }}
                      options={[
                        { value: 'all', label: t('common.all') },
                        { value: 'overdue', label: t('services.onlyOverdue') },
                      ]}
                      data-testid="roster-overdue"
                    />
                  ),
                },
              ]}
            />
            {roster.isError && <ErrorAlert error={roster.error} style={{ marginBottom: 12 }} />}
            <ResponsiveTable<RosterEntryView>
              rowKey="id"
              size="middle"
              loading={roster.isFetching}
              dataSource={roster.data?.items ?? []}
              locale={{ emptyText: t('services.rosterEmpty') }}
              onRow={(e) => ({ 'data-testid': `roster-${e.id}` }) as HTMLAttributes<HTMLElement>}
              columns={[
                { key: 'name', title: t('services.person'), dataIndex: ['person', 'name'] },
                {
                  key: 'tag',
                  title: t('services.careGroup'),
                  render: (_: unknown, e: RosterEntryView) => <Tag>{t(`services.careTag.${e.tag}`)}</Tag>,
                },
                { key: 'node', title: t('services.place'), dataIndex: ['node', 'name'] },
                {
                  key: 'address',
                  title: t('services.address'),
                  responsive: ['lg' as const],
                  render: (_: unknown, e: RosterEntryView) => e.person.address ?? '—',
                },
                {
                  key: 'visitor',
                  title: t('services.visitor'),
                  render: (_: unknown, e: RosterEntryView) => e.visitor?.name ?? t('services.noVisitor'),
                },
                {
                  key: 'last',
                  title: t('services.lastVisitLabel'),
                  render: (_: unknown, e: RosterEntryView) => e.lastVisitOn ?? '—',
                },
                {
                  key: 'due',
                  title: t('services.nextDueLabel'),
                  render: (_: unknown, e: RosterEntryView) =>
                    e.overdueDays > 0 ? (
                      <span className="linli-overdue">
                        {e.nextDueOn} · {t('services.overdueDays', { n: e.overdueDays })}
                      </span>
                    ) : (
                      e.nextDueOn
                    ),
                },
                {
                  key: 'actions',
                  title: t('common.actions'),
                  render: (_: unknown, e: RosterEntryView) =>
                    e.abilities.visit || e.abilities.assignVisitor ? (
                      <div className="linli-svc-actions" style={{ marginTop: 0 }}>
                        {e.abilities.visit && (
                          <Button
                            type="primary"
                            onClick={() => setVisiting(e)}
                            data-testid={`roster-visit-${e.id}`}
                          >
                            {t('services.recordVisit')}
                          </Button>
                        )}
                        {e.abilities.assignVisitor && (
                          <Button onClick={() => setAssigning(e)} data-testid={`roster-visitor-${e.id}`}>
                            {t('services.assignVisitor')}
                          </Button>
                        )}
                      </div>
                    ) : null,
                },
              ]}
              pagination={pagination(roster.data?.total)}
            />
          </Card>
        )}
        <Rules />
      </div>
      {visiting && <VisitModal entry={visiting} onClose={() => setVisiting(null)} />}
      {assigning && <VisitorModal entry={assigning} onClose={() => setAssigning(null)} />}
    </div>
  );
}
