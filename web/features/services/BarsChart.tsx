// Horizontal bars, a name each (a grid's overdue visits, a volunteer's or an organisation's hours),
// loaded with echarts in this chunk only when a page draws it. The names read across however narrow
// the screen; the largest first.
import { useMemo } from 'react';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

export interface Bar {
  name: string;
  value: number;
}

export default function BarsChart({
  bars,
  label,
  series,
  color = '#1f5fbf',
  testId,
}: {
  bars: Bar[];
  /** What the chart shows, for screen readers. */
  label: string;
  /** The figure's name in the tooltip. */
  series: string;
  color?: string;
  testId: string;
}) {
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      yAxis: {
        type: 'category',
        data: bars.map((b) => b.name),
        inverse: true,
        axisLabel: { width: 120, overflow: 'truncate' },
      },
      xAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          name: series,
          type: 'bar' as const,
          itemStyle: { color },
          label: { show: true, position: 'right' },
          data: bars.map((b) => b.value),
        },
      ],
    }),
    [bars, series, color],
  );
  return (
    <div data-testid={testId} role="img" aria-label={label}>
      <ReactEChartsCore
        echarts={echarts}
        option={option}
        notMerge
        style={{ height: Math.max(160, 24 + bars.length * 36) }}
      />
    </div>
  );
}
