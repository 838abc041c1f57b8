// A report's history: the chosen field's daily roll-up as a line, submitted and expected as bars.
import { useMemo, useState } from 'react';
import { Select, Space } from 'antd';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useTranslation } from 'react-i18next';
import type { HistoryResponse, ReportTemplate } from '../../api/reports.js';
import { useLabel } from '../../app/format.js';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export function ReportHistoryChart({
  template,
  history,
}: {
  template: ReportTemplate;
  history: HistoryResponse | undefined;
}) {
  const { t } = useTranslation();
  const label = useLabel();
  const numeric = template.fields.filter((f) => f.type === 'integer' || f.type === 'decimal');
  const [field, setField] = useState<string | undefined>(numeric[0]?.code);
  const chosen = template.fields.find((f) => f.code === field);
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 48, top: 36, bottom: 30 },
      xAxis: { type: 'category', data: history?.days.map((d) => d.day.slice(5)) ?? [] },
      yAxis: [
        { type: 'value', minInterval: 1, name: t('reports.historyCounts') },
        { type: 'value', name: chosen ? label({ zh: chosen.labelZh, en: chosen.labelEn }) : '' },
      ],
      series: [
        {
          name: t('reports.expected'),
          type: 'bar',
          data: history?.days.map((d) => d.expected) ?? [],
          itemStyle: { color: '#d9d9d9' },
        },
        { name: t('reports.submitted'), type: 'bar', data: history?.days.map((d) => d.submitted) ?? [] },
        {
          name: t('reports.late'),
          type: 'bar',
          data: history?.days.map((d) => d.late) ?? [],
          itemStyle: { color: '#fa8c16' },
        },
        ...(chosen
          ? [
              {
                name: label({ zh: chosen.labelZh, en: chosen.labelEn }),
                type: 'line',
                yAxisIndex: 1,
                smooth: true,
                data: history?.days.map((d) => d.values[chosen.code] ?? null) ?? [],
              },
            ]
          : []),
      ],
    }),
    [history, chosen, label, t],
  );
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space>
        {t('reports.historyField')}
        <Select
          style={{ width: 220 }}
          value={field}
          onChange={setField}
          options={numeric.map((f) => ({ value: f.code, label: label({ zh: f.labelZh, en: f.labelEn }) }))}
          data-testid="report-history-field"
          aria-label={t('reports.historyField')}
        />
      </Space>
      <div data-testid="report-history-chart">
        <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 300 }} />
      </div>
    </Space>
  );
}
