// /reports/:id — one daily report: the caller's forms for the chosen day, the roll-up for a node
// with drill-down by child (missing reporters in red, late ones flagged), the history chart and the export.
import { useMemo, useState, type HTMLAttributes } from 'react';
import { Link, useParams } from 'react-router';
import {
  App,
  Breadcrumb,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Popconfirm,
  Row,
  Space,
  Statistic,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { saveBlob } from '../../api/client.js';
import { useCommands } from '../../api/command.js';
import {
  exportReport,
  useReportForms,
  useReportHistory,
  useReportSummary,
  useReportTemplate,
  useRetireTemplate,
  type ReportValue,
  type SummaryResponse,
} from '../../api/reports.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { ResponsiveTable } from '../../app/components/ResponsiveTable.js';
import { useErrorTexts } from '../../app/errors.js';
import { useLabel, useLevelLabel } from '../../app/format.js';
import { ReportFillForm } from './ReportFillForm.js';
import { ReportHistoryChart } from './ReportHistoryChart.js';

type Child = SummaryResponse['children'][number];
const show = (v: ReportValue | undefined) => (v === null || v === undefined ? '—' : String(v));

export default function ReportTemplatePage() {
  const { t } = useTranslation();
  const label = useLabel();
  const levelLabel = useLevelLabel();
  const errors = useErrorTexts();
  const { message } = App.useApp();
  const id = Number(useParams().id);
  const [day, setDay] = useState<Dayjs>(() => dayjs());
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().subtract(13, 'day'), dayjs()]);
  // Drill-down below the caller's default node: clicking a child goes one level down.
  const [trail, setTrail] = useState<{ id: number; name: string }[]>([]);
  const [exporting, setExporting] = useState(false);
  const tpl = useReportTemplate(id);
  const template = tpl.data;
  const dayText = day.format('YYYY-MM-DD');
  const node = trail.at(-1)?.id;
  const forms = useReportForms(id, dayText, Boolean(template?.abilities.fill));
  const summary = useReportSummary(id, node, dayText, Boolean(template?.abilities.view));
  // The caller's own top node names the trail's first step (the same query as the undrilled summary).
  const top = useReportSummary(id, undefined, dayText, Boolean(template?.abilities.view));
  const from = range[0].format('YYYY-MM-DD');
  const to = range[1].format('YYYY-MM-DD');
  const history = useReportHistory(id, node, from, to, Boolean(template?.abilities.view));
  const retire = useRetireTemplate(id);
  const commands = useCommands();
  const s = summary.data;

  const fieldColumns = useMemo<TableColumnsType<Child>>(
    () =>
      (template?.fields ?? []).map((f) => ({
        title: label({ zh: f.labelZh, en: f.labelEn }),
        key: f.code,
        render: (_v, c) => show(c.values[f.code]),
      })),
    [template, label],
  );
  if (tpl.error) return <ErrorAlert error={tpl.error} />;
  if (!template) return <Card loading />;

  // Down to a single reporter: its own figures and status.
  const drill = (c: Child) => setTrail((tr) => [...tr, { id: c.node.id, name: c.node.name }]);
  const commandName = template.commandId
    ? (commands.data?.items.find((c) => c.id === template.commandId)?.name ??
      t('reports.commandN', { id: template.commandId }))
    : t('reports.noCommand');
  const statusTag = (c: Child) =>
    c.status === 'missing' ? (
      <Tag color="red">{t('reports.tagMissing')}</Tag>
    ) : c.status === 'late' ? (
      <Tag color="orange">{t('reports.tagLate')}</Tag>
    ) : c.status === 'on_time' ? (
      <Tag color="green">{t('reports.tagOnTime')}</Tag>
    ) : null;
  const columns: TableColumnsType<Child> = [
    {
      title: t('reports.child'),
      key: 'node',
      render: (_v, c) => (
        <Space size={4}>
          <a
            href="#"
            onClick={(e) => (e.preventDefault(), drill(c))}
            data-testid={`report-drill-${c.node.id}`}
          >
            {c.node.name}
          </a>
          {statusTag(c)}
        </Space>
      ),
    },
    { title: t('reports.expected'), dataIndex: 'expected' },
    { title: t('reports.submitted'), dataIndex: 'submitted' },
    {
      title: t('reports.late'),
      key: 'late',
      render: (_v, c) => (c.late ? <Typography.Text type="warning">{c.late}</Typography.Text> : 0),
    },
    {
      title: t('reports.missingCount'),
      key: 'missing',
      render: (_v, c) => (c.missing ? <Typography.Text type="danger">{c.missing}</Typography.Text> : 0),
    },
    ...fieldColumns,
  ];

  const doExport = async () => {
    setExporting(true);
    try {
      saveBlob(await exportReport(id, { node, from, to }), `${template.title}-${from}-${to}.xlsx`);
    } catch (e) {
      void message.error(errors.title(e));
    } finally {
      setExporting(false);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            {template.title}
            {template.retiredAt ? (
              <Tag>{t('reports.retired')}</Tag>
            ) : (
              <Tag color="green">{t('reports.active')}</Tag>
            )}
          </Space>
        }
        extra={
          <Space wrap>
            <Link to="/reports">{t('reports.back')}</Link>
            {template.abilities.manage && !template.retiredAt ? (
              <Popconfirm
                title={t('reports.retireConfirm', { title: template.title })}
                onConfirm={() =>
                  retire.mutate(undefined, {
                    onSuccess: () => void message.success(t('reports.retiredDone')),
                    onError: (e) => void message.error(errors.title(e)),
                  })
                }
              >
                <Button danger loading={retire.isPending} data-testid="report-retire">
                  {t('reports.retire')}
                </Button>
              </Popconfirm>
            ) : null}
          </Space>
        }
      >
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('reports.node')}>{template.node.name}</Descriptions.Item>
          <Descriptions.Item label={t('reports.targetLevel')}>
            {levelLabel(template.targetLevel)}
          </Descriptions.Item>
          <Descriptions.Item label={t('reports.dueTime')}>{template.dueTime}</Descriptions.Item>
          <Descriptions.Item label={t('reports.period')}>
            {t('reports.periodOf', { from: template.startDay, to: template.endDay ?? t('reports.ongoing') })}
          </Descriptions.Item>
          <Descriptions.Item label={t('reports.command')}>{commandName}</Descriptions.Item>
        </Descriptions>
        <Space style={{ marginTop: 8 }}>
          {t('reports.day')}
          <DatePicker
            value={day}
            onChange={(d) => d && setDay(d)}
            allowClear={false}
            disabledDate={(d) => d.isAfter(dayjs(), 'day')}
            data-testid="report-day"
            aria-label={t('reports.day')}
          />
        </Space>
      </Card>

      {template.abilities.fill ? (
        <Card title={t('reports.fill', { day: dayText })}>
          <ErrorAlert error={forms.error} />
          <Space orientation="vertical" style={{ width: '100%' }}>
            {(forms.data?.items ?? []).map((f) => (
              <ReportFillForm key={`${f.node.id}-${f.day}`} template={template} form={f} />
            ))}
            {forms.data && forms.data.items.length === 0 ? (
              <Typography.Text type="secondary">{t('reports.noForms')}</Typography.Text>
            ) : null}
          </Space>
        </Card>
      ) : null}

      {template.abilities.view ? (
        <Card
          title={t('reports.summary')}
          extra={
            <Button onClick={() => void doExport()} loading={exporting} data-testid="report-export">
              {t('reports.export')}
            </Button>
          }
        >
          <ErrorAlert error={summary.error} style={{ marginBottom: 12 }} />
          <Breadcrumb
            style={{ marginBottom: 12 }}
            data-testid="report-breadcrumb"
            items={[
              {
                title: trail.length ? (
                  <a href="#" onClick={(e) => (e.preventDefault(), setTrail([]))}>
                    {top.data?.node.name ?? t('reports.top')}
                  </a>
                ) : (
                  (s?.node.name ?? t('reports.top'))
                ),
              },
              ...trail.map((x, i) => ({
                title:
                  i === trail.length - 1 ? (
                    x.name
                  ) : (
                    <a href="#" onClick={(e) => (e.preventDefault(), setTrail((tr) => tr.slice(0, i + 1)))}>
                      {x.name}
                    </a>
                  ),
              })),
            ]}
          />
          {s ? (
            <>
              <Row gutter={16}>
                <Col xs={12} md={6} data-testid="report-stat-expected">
                  <Statistic title={t('reports.expected')} value={s.expected} />
                </Col>
                <Col xs={12} md={6} data-testid="report-stat-submitted">
                  <Statistic title={t('reports.submitted')} value={s.submitted} />
                </Col>
                <Col xs={12} md={6} data-testid="report-stat-late">
                  <Statistic
                    title={t('reports.late')}
                    value={s.late}
                    styles={{ content: { color: s.late ? '#fa8c16' : undefined } }}
                  />
                </Col>
                <Col xs={12} md={6} data-testid="report-stat-missing">
                  <Statistic
                    title={t('reports.missingCount')}
                    value={s.missing.length}
                    styles={{ content: { color: s.missing.length ? '#cf1322' : undefined } }}
                  />
                </Col>
              </Row>
              <Descriptions
                size="small"
                bordered
                column={{ xs: 1, md: 3 }}
                style={{ marginTop: 12 }}
                data-testid="report-totals"
              >
                {template.fields.map((f) => (
                  <Descriptions.Item key={f.code} label={label({ zh: f.labelZh, en: f.labelEn })}>
                    <span data-testid={`report-total-${f.code}`}>{show(s.values[f.code])}</span>
                  </Descriptions.Item>
                ))}
              </Descriptions>
              {s.children.length > 0 ? (
                <ResponsiveTable<Child>
                  style={{ marginTop: 12 }}
                  rowKey={(c) => c.node.id}
                  size="small"
                  columns={columns}
                  dataSource={s.children}
                  pagination={false}
                  scroll={{ x: 'max-content' }}
                  onRow={(c) =>
                    ({ 'data-testid': `report-child-${c.node.id}` }) as HTMLAttributes<HTMLElement>
                  }
                />
              ) : null}
              <div style={{ marginTop: 12 }} data-testid="report-missing">
                <Typography.Text strong>{t('reports.missingReporters')}：</Typography.Text>
                {s.missing.length === 0 ? (
                  <Typography.Text type="success">{t('reports.noneMissing')}</Typography.Text>
                ) : (
                  s.missing.map((m) => (
                    <Tag key={m.id} color="red" style={{ marginBottom: 4 }}>
                      {m.parentName ? `${m.parentName} / ${m.name}` : m.name} · {t('reports.tagMissing')}
                    </Tag>
                  ))
                )}
              </div>
            </>
          ) : null}
        </Card>
      ) : null}

      {template.abilities.view ? (
        <Card
          title={t('reports.history')}
          extra={
            <DatePicker.RangePicker
              value={range}
              allowClear={false}
              onChange={(v) => v && v[0] && v[1] && setRange([v[0], v[1]])}
              disabledDate={(d) => d.isAfter(dayjs(), 'day')}
            />
          }
        >
          <ErrorAlert error={history.error} />
          <ReportHistoryChart template={template} history={history.data} />
        </Card>
      ) : null}
    </Space>
  );
}
