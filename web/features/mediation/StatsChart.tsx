// Cases by dispute type as bars (received, agreements, failures and withdrawals), loaded with echarts
// in this chunk only when the statistics page draws it.
import { useMemo } from 'react';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useTranslation } from 'react-i18next';
import type { StatsView } from '../../api/mediation.js';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export default function StatsChart({ stats }: { stats: StatsView }) {
  const { t } = useTranslation();
  const option = useMemo(() => {
    // Types with nothing in the period stay off the chart: it reads at a glance on a phone.
    const rows = stats.byType.filter((b) => b.figures.received > 0 || b.figures.concluded > 0);
    const series = (
      [
        ['received', '#1f5fbf'],
        ['agreements', '#237804'],
        ['failures', '#cf1322'],
        ['withdrawals', '#8c8c8c'],
      ] as const
    ).map(([k, color]) => ({
      name: t(`mediation.fig.${k}`),
      type: 'bar' as const,
      itemStyle: { color },
      data: rows.map((b) => b.figures[k]),
    }));
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      // Horizontal bars: the types' names read across, however narrow the screen.
      yAxis: { type: 'category', data: rows.map((b) => t(`mediation.type.${b.disputeType}`)), inverse: true },
      xAxis: { type: 'value', minInterval: 1 },
      series,
    };
  }, [stats, t]);
  const shown = stats.byType.filter((b) => b.figures.received > 0 || b.figures.concluded > 0).length;
  return (
    <div data-testid="stats-chart" role="img" aria-label={t('mediation.byTypeChart')}>
      <ReactEChartsCore
        echarts={echarts}
        option={option}
        notMerge
        style={{ height: Math.max(200, 60 + shown * 56) }}
      />
    </div>
  );
}
