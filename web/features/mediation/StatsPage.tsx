// /mediation/stats — 调解统计: a place's figures over a period (received, concluded, agreements,
// failures, withdrawals, the success and 调撤 rates, the mean days, the confirmation rate), the cases by
// dispute type as a chart, the children as a table (tap one to go down), and the same as a workbook.
import { lazy, Suspense, useState, type HTMLAttributes } from 'react';
import { useMutation } from '@tanstack/react-query';
import { App, Button, Card, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { saveBlob } from '../../api/client.js';
import { exportStats, useMediationStats, type StatsFigures, type StatsView } from '../../api/mediation.js';
import { useJurisdiction } from '../../app/jurisdiction.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { FilterBar } from '../../app/components/FilterBar.js';
import { LazyNodeTreeSelect } from '../../app/components/LazyNodeTreeSelect.js';
import { PageSpin } from '../../app/components/PageSpin.js';
import { ResponsiveTable } from '../../app/components/ResponsiveTable.js';
import { shanghaiDay } from './dates.js';
import './mediation.css';

const StatsChart = lazy(() => import('./StatsChart.js'));

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

type Child = StatsView['children'][number];

export default function StatsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const onError = useFormErrorHandler();
  const { node: chosen } = useJurisdiction();
  const today = shanghaiDay();
  const [node, setNode] = useState<{ id: number; name: string } | undefined>();
  const [from, setFrom] = useState(`${today.slice(0, 4)}-01-01`);
  const [to, setTo] = useState(today);
  const filters = { node: node?.id ?? chosen?.id, from, to };
  const stats = useMediationStats(filters);
  const s = stats.data;
  const exporting = useMutation({
    mutationFn: () => exportStats(filters),
    onSuccess: (blob) => {
      saveBlob(blob, `mediation-${from}-${to}.xlsx`);
      void message.success(t('mediation.exported'));
    },
    onError: (e) => onError(e),
  });
  const f = s?.figures;
  const cards: [string, string, boolean?][] = f
    ? [
        [t('mediation.fig.received'), String(f.received)],
        [t('mediation.fig.concluded'), String(f.concluded)],
        [t('mediation.fig.agreements'), String(f.agreements)],
        [t('mediation.fig.failures'), String(f.failures), f.failures > 0],
        [t('mediation.fig.withdrawals'), String(f.withdrawals)],
        [t('mediation.fig.successRate'), pct(f.successRate)],
        [t('mediation.fig.settledRate'), pct(f.settledRate)],
        [t('mediation.fig.meanDays'), f.meanDays === null ? '—' : String(f.meanDays)],
        [t('mediation.fig.confirmationRate'), pct(f.confirmationRate)],
      ]
    : [];
  const col = (key: keyof StatsFigures, title: string, fmt: (x: StatsFigures) => string) => ({
    key,
    title,
    render: (_: unknown, c: Child) => fmt(c.figures),
  });
  return (
    <div>
      <div className="linli-page-title">
        <h1>
          {t('mediation.statsTitle')}
          {s && ` · ${s.node.name}`}
        </h1>
        <Button
          onClick={() => exporting.mutate()}
          loading={exporting.isPending}
          disabled={!s}
          data-testid="stats-export"
        >
          {t('mediation.exportXlsx')}
        </Button>
      </div>
      <FilterBar
        active={(node ? 1 : 0) + (from !== `${today.slice(0, 4)}-01-01` ? 1 : 0) + (to !== today ? 1 : 0)}
        onClear={() => {
          setNode(undefined);
          setFrom(`${today.slice(0, 4)}-01-01`);
          setTo(today);
        }}
        fields={[
          {
            id: 'stats-node',
            label: t('mediation.place'),
            control: (
              <LazyNodeTreeSelect
                id="stats-node"
                value={node?.id ?? chosen?.id}
                valueLabel={node?.name ?? chosen?.name}
                onChange={(id, n) => setNode(id && n ? { id, name: n.name } : undefined)}
                style={{ minWidth: 200, width: '100%' }}
              />
            ),
          },
          {
            id: 'stats-from',
            label: t('mediation.from'),
            control: (
              <Input
                id="stats-from"
                type="date"
                value={from}
                max={to}
                onChange={(e) => e.target.value && setFrom(e.target.value)}
              />
            ),
          },
          {
            id: 'stats-to',
            label: t('mediation.to'),
            control: (
              <Input
                id="stats-to"
                type="date"
                value={to}
                min={from}
                onChange={(e) => e.target.value && setTo(e.target.value)}
              />
            ),
          },
        ]}
      />
      {stats.isError && <ErrorAlert error={stats.error} style={{ marginBottom: 12 }} />}
      {!s && stats.isLoading && <PageSpin />}
      {s && (
        <>
          <p className="linli-muted">{t('mediation.period', { from: s.from, to: s.to })}</p>
          <div className="linli-med-figures" data-testid="stats-figures">
            {cards.map(([label, value, warn]) => (
              <div key={label} className="linli-med-figure">
                <div className="linli-muted">{label}</div>
                <div className="linli-med-figure-value" style={warn ? { color: '#cf1322' } : undefined}>
                  {value}
                </div>
              </div>
            ))}
          </div>
          <Card size="small" title={t('mediation.byType')} style={{ marginBottom: 12 }}>
            {s.byType.some((b) => b.figures.received > 0 || b.figures.concluded > 0) ? (
              <Suspense fallback={<PageSpin />}>
                <StatsChart stats={s} />
              </Suspense>
            ) : (
              <p className="linli-muted">{t('mediation.noFigures')}</p>
            )}
          </Card>
          {s.children.length > 0 && (
            <Card size="small" title={t('mediation.children')}>
              <ResponsiveTable<Child>
                data-testid="stats-children"
                size="small"
                rowKey={(c) => c.node.id}
                dataSource={s.children}
                pagination={false}
                onRow={(c) => ({ 'data-testid': `stats-child-${c.node.id}` }) as HTMLAttributes<HTMLElement>}
                columns={[
                  {
                    key: 'node',
                    title: t('mediation.place'),
                    render: (_: unknown, c: Child) => (
                      <Button
                        type="link"
                        style={{
                          padding: 0,
                          height: 'auto',
                          minHeight: 44,
                          whiteSpace: 'normal',
                          textAlign: 'start',
                        }}
                        onClick={() => setNode({ id: c.node.id, name: c.node.name })}
                      >
                        {c.node.name}
                      </Button>
                    ),
                  },
                  col('received', t('mediation.fig.received'), (x) => String(x.received)),
                  col('concluded', t('mediation.fig.concluded'), (x) => String(x.concluded)),
                  col('agreements', t('mediation.fig.agreements'), (x) => String(x.agreements)),
                  col('successRate', t('mediation.fig.successRate'), (x) => pct(x.successRate)),
                  col('settledRate', t('mediation.fig.settledRate'), (x) => pct(x.settledRate)),
                  col('meanDays', t('mediation.fig.meanDays'), (x) =>
                    x.meanDays === null ? '—' : String(x.meanDays),
                  ),
                ]}
              />
            </Card>
          )}
        </>
      )}
    </div>
  );
}
