// Passages per hour or per day, in and out as stacked bars, the risky share as a line (echarts, loaded
// with this chunk only when the statistics are shown).
import { useMemo } from 'react';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useTranslation } from 'react-i18next';
import type { PassageStats } from '../../api/passages.js';
import { chartSeries } from './stats.js';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export default function PassagesChart({
  stats,
  bucket,
}: {
  stats: PassageStats | undefined;
  bucket: 'hour' | 'day';
}) {
  const { t } = useTranslation();
  const option = useMemo(() => {
    const s = chartSeries(stats, bucket);
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 44, top: 36, bottom: 30 },
      xAxis: { type: 'category', data: s.labels },
      yAxis: [
        { type: 'value', minInterval: 1 },
        { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      ],
      series: [
        { name: t('passages.statsIn'), type: 'bar', stack: 'n', data: s.in, itemStyle: { color: '#1f5fbf' } },
        {
          name: t('passages.statsOut'),
          type: 'bar',
          stack: 'n',
          data: s.out,
          itemStyle: { color: '#8c6fd1' },
        },
        {
          name: t('passages.riskyShare'),
          type: 'line',
          yAxisIndex: 1,
          smooth: true,
          connectNulls: true,
          data: s.share,
          itemStyle: { color: '#cf1322' },
        },
      ],
    };
  }, [stats, bucket, t]);
  return (
    <div className="linli-passage-chart" data-testid="passages-chart">
      <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 280 }} />
    </div>
  );
}
