// /services/hours — 志愿时长: the hours served in a year or a month, ranked by volunteer or by
// organisation under the chosen place; the first ones as bars, all of them as a list, and the same as a
// workbook.
import { lazy, Suspense, useState, type HTMLAttributes } from 'react';
import { useMutation } from '@tanstack/react-query';
import { App, Button, Card, Input, Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { saveBlob } from '../../api/client.js';
import { exportRankings, useHourRankings, type RankingRow } from '../../api/services.js';
import { useJurisdiction } from '../../app/jurisdiction.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { FilterBar } from '../../app/components/FilterBar.js';
import { PageSpin } from '../../app/components/PageSpin.js';
import { ResponsiveTable } from '../../app/components/ResponsiveTable.js';
import { shanghaiDay } from '../mediation/dates.js';
import { hoursText } from './labels.js';
import './services.css';

const BarsChart = lazy(() => import('./BarsChart.js'));
/** How many the chart shows: the first of the ranking. */
const CHART_ROWS = 10;

export default function HoursPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const onError = useFormErrorHandler();
  const { node } = useJurisdiction();
  const thisMonth = shanghaiDay().slice(0, 7);
  const [span, setSpan] = useState<'year' | 'month'>('year');
  const [month, setMonth] = useState(thisMonth);
  const [by, setBy] = useState<'volunteer' | 'org'>('volunteer');
  const period = span === 'year' ? month.slice(0, 4) : month;
  const filters = { node: node?.id, period, by };
  const ranking = useHourRankings(filters);
  const rows = ranking.data?.items ?? [];
  const exporting = useMutation({
    mutationFn: () => exportRankings(filters),
    onSuccess: (blob) => {
      saveBlob(blob, `volunteer-hours-${period}-${by}.xlsx`);
      void message.success(t('services.exported'));
    },
    onError: (e) => onError(e),
  });
  const charted = rows.filter((r) => r.hours > 0).slice(0, CHART_ROWS);
  return (
    <div>
      <div className="linli-page-title">
        <h1>
          {t('services.hoursTitle')}
          {node && ` · ${node.name}`}
        </h1>
        <Button onClick={() => exporting.mutate()} loading={exporting.isPending} data-testid="hours-export">
          {t('services.exportXlsx')}
        </Button>
      </div>
      <FilterBar
        active={(span === 'month' ? 1 : 0) + (month !== thisMonth ? 1 : 0) + (by === 'org' ? 1 : 0)}
        onClear={() => {
          setSpan('year');
          setMonth(thisMonth);
          setBy('volunteer');
        }}
        fields={[
          {
            id: 'hours-by',
            label: t('services.rankBy'),
            group: true,
            control: (
              <Segmented<'volunteer' | 'org'>
                value={by}
                onChange={setBy}
                options={[
                  { value: 'volunteer', label: t('services.byVolunteer') },
                  { value: 'org', label: t('services.byOrg') },
                ]}
                data-testid="hours-by"
              />
            ),
          },
          {
            id: 'hours-span',
            label: t('services.period'),
            group: true,
            control: (
              <Segmented<'year' | 'month'>
                value={span}
                onChange={setSpan}
                options={[
                  { value: 'year', label: t('services.wholeYear') },
                  { value: 'month', label: t('services.oneMonth') },
                ]}
                data-testid="hours-span"
              />
            ),
          },
          {
            id: 'hours-month',
            label: span === 'year' ? t('services.year') : t('services.month'),
            control: (
              <Input
                id="hours-month"
                type="month"
                value={month}
                max={thisMonth}
                onChange={(e) => e.target.value && setMonth(e.target.value)}
              />
            ),
          },
        ]}
      />
      {ranking.isError && <ErrorAlert error={ranking.error} style={{ marginBottom: 12 }} />}
      {ranking.isLoading && <PageSpin />}
      <div className="linli-svc-cardstack">
        <Card size="small" title={t('services.topN', { n: CHART_ROWS, period })}>
          {charted.length > 0 ? (
            <Suspense fallback={<PageSpin />}>
              <BarsChart
                testId="hours-chart"
                label={t('services.topN', { n: CHART_ROWS, period })}
                series={t('services.hoursLabel')}
                bars={charted.map((r) => ({ name: r.name, value: r.hours }))}
              />
            </Suspense>
          ) : (
            ranking.isSuccess && <p className="linli-muted">{t('services.noHours')}</p>
          )}
        </Card>
        <Card size="small" title={t('services.rankingTitle')}>
          <ResponsiveTable<RankingRow>
            data-testid="hours-ranking"
            rowKey="id"
            size="small"
            loading={ranking.isFetching}
            dataSource={rows}
            pagination={{ pageSize: 20 }}
            locale={{ emptyText: t('services.noHours') }}
            cardTitle="name"
            onRow={(r) => ({ 'data-testid': `rank-${by}-${r.id}` }) as HTMLAttributes<HTMLElement>}
            columns={[
              { key: 'rank', title: t('services.rank'), render: (_: unknown, r: RankingRow) => r.rank },
              {
                key: 'name',
                title: by === 'org' ? t('services.orgName') : t('services.name'),
                render: (_: unknown, r: RankingRow) => r.name,
              },
              ...(by === 'volunteer'
                ? [
                    {
                      key: 'org',
                      title: t('services.org'),
                      render: (_: unknown, r: RankingRow) => r.org ?? '—',
                    },
                  ]
                : []),
              {
                key: 'hours',
                title: t('services.hoursLabel'),
                render: (_: unknown, r: RankingRow) => (
                  <span data-testid={`rank-hours-${by}-${r.id}`}>{hoursText(r.hours)}</span>
                ),
              },
            ]}
          />
        </Card>
      </div>
    </div>
  );
}
