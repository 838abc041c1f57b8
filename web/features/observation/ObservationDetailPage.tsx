// /observations/:id — one person observed at home: who, where, the period, carers, and the daily
// follow-ups. A carer or the grid worker records a day on a phone: the outcome as four large buttons,
// temperature, symptoms and needs as rows tapped whole, a note. The steps the caller may take (release
// on the end date, extend, transfer) come from the order's abilities. Those who send psychological
// scales send one to the person from here (the link to copy and hand over).
import { lazy, Suspense, useEffect, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import {
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Spin,
  Tag,
} from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  FOLLOW_UP_OUTCOMES,
  NEEDS,
  OBSERVATION_MAX_DAYS,
  SYMPTOMS,
  TRANSFER_REASONS,
  handleAlert,
  observationKeys,
  recordFollowUp,
  stepObservation,
  useObservation,
  type FollowUpInput,
  type FollowUpStatus,
  type ObservationView,
  type TransferReason,
} from '../../api/observations.js';
import { useAuth } from '../../app/auth.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { formatTime } from '../../app/format.js';
import { useFormErrorHandler } from '../../app/forms.js';
import './observation.css';

/** Psychological care's dialog to send a scale: its own chunk, fetched at the first press. */
const SendScaleModal = lazy(() => import('../care/SendScaleModal.js'));

/** Sends the person a psychological scale (PHQ-9 unless another is chosen) and shows the link to copy. */
function SendScaleButton({ person }: { person: ObservationView['person'] }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)}>{t('observation.sendScale')}</Button>
      {open && (
        <Suspense fallback={null}>
          <SendScaleModal person={{ id: person.id, name: person.name }} onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}

const STATUS_COLOR: Record<FollowUpStatus, string> = {
  due: 'blue',
  well: 'green',
  unwell: 'red',
  not_reached: 'orange',
  refused: 'orange',
  missed: 'red',
};

export function FollowUpTag({ status }: { status: FollowUpStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOR[status]}>{t(`observation.followUpStatus.${status}`)}</Tag>;
}

export function ObservationStatusTag({ status }: { status: ObservationView['status'] }) {
  const { t } = useTranslation();
  return (
    <Tag color={status === 'active' ? 'processing' : 'default'}>{t(`observation.statusLabel.${status}`)}</Tag>
  );
}

/** The form for one day's follow-up: the days still due up to today, the chosen one first. */
function FollowUpForm({ o, wanted }: { o: ObservationView; wanted: string | null }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const onError = useFormErrorHandler();
  const [form] = Form.useForm<FollowUpInput & { date: string }>();
  const due = o.followUps.filter((f) => f.status === 'due' && f.date <= o.today).map((f) => f.date);
  const first = wanted && due.includes(wanted) ? wanted : (due.at(-1) ?? null);
  useEffect(() => {
    if (first) form.setFieldValue('date', first);
  }, [first, form]);
  const save = useMutation({
    mutationFn: ({ date, ...body }: FollowUpInput & { date: string }) => recordFollowUp(o.id, date, body),
    onSuccess: (saved, v) => {
      qc.setQueryData(observationKeys.detail(o.id), saved);
      void qc.invalidateQueries({ queryKey: observationKeys.all });
      void message.success(t(v.outcome === 'unwell' ? 'observation.unwellSent' : 'observation.recorded'));
      form.resetFields(['outcome', 'temperature', 'symptoms', 'needs', 'note']);
      // On to the next day still due (the one recorded is not any more).
      const next = saved.followUps
        .filter((f) => f.status === 'due' && f.date <= saved.today)
        .map((f) => f.date)
        .at(-1);
      if (next) form.setFieldValue('date', next);
    },
    onError: (e) => onError(e, form, ['outcome', 'temperature', 'symptoms', 'needs', 'note']),
  });
  if (!first) return <p className="linli-muted">{t('observation.noneDue')}</p>;
  return (
    <Form
      form={form}
      layout="vertical"
      className="linli-follow-up-form"
      data-testid="follow-up-form"
      initialValues={{ date: first, symptoms: [], needs: [] }}
      onFinish={(v) => save.mutate(v)}
    >
      <Form.Item name="date" label={t('observation.day')} rules={[{ required: true }]}>
        <Select
          data-testid="follow-up-date"
          options={due.map((d) => ({ value: d, label: d }))}
          aria-label={t('observation.day')}
        />
      </Form.Item>
      <Form.Item name="outcome" label={t('observation.outcome')} rules={[{ required: true }]}>
        <Radio.Group className="linli-outcomes" data-testid="follow-up-outcome">
          {FOLLOW_UP_OUTCOMES.map((k) => (
            <Radio.Button key={k} value={k}>
              {t(`observation.followUpStatus.${k}`)}
            </Radio.Button>
          ))}
        </Radio.Group>
      </Form.Item>
      <Form.Item name="temperature" label={t('observation.temperature')}>
        <InputNumber
          min={30}
          max={45}
          step={0.1}
          inputMode="decimal"
          style={{ width: '100%' }}
          data-testid="follow-up-temperature"
        />
      </Form.Item>
      <Form.Item name="symptoms" label={t('observation.symptoms')}>
        <Checkbox.Group className="linli-check-rows">
          {SYMPTOMS.map((k) => (
            <Checkbox key={k} value={k}>
              {t(`observation.symptom.${k}`)}
            </Checkbox>
          ))}
        </Checkbox.Group>
      </Form.Item>
      <Form.Item name="needs" label={t('observation.needs')}>
        <Checkbox.Group className="linli-check-rows">
          {NEEDS.map((k) => (
            <Checkbox key={k} value={k}>
              {t(`observation.need.${k}`)}
            </Checkbox>
          ))}
        </Checkbox.Group>
      </Form.Item>
      <Form.Item name="note" label={t('observation.note')}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={save.isPending} data-testid="follow-up-submit">
        {t('observation.submit')}
      </Button>
    </Form>
  );
}

function Steps({ o }: { o: ObservationView }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const onError = useFormErrorHandler();
  const [extending, setExtending] = useState(false);
  const [transferring, setTransferring] = useState(false);
  const [extendForm] = Form.useForm<{ days: number; reason: string }>();
  const [transferForm] = Form.useForm<{ to: TransferReason; note?: string }>();
  const step = useMutation({
    mutationFn: (body: Parameters<typeof stepObservation>[1]) => stepObservation(o.id, body),
    onSuccess: (next, body) => {
      qc.setQueryData(observationKeys.detail(o.id), next);
      void qc.invalidateQueries({ queryKey: observationKeys.all });
      void message.success(
        body.action === 'extend'
          ? t('observation.extended', { date: next.endDate })
          : t(body.action === 'release' ? 'observation.released' : 'observation.transferred'),
      );
      setExtending(false);
      setTransferring(false);
    },
    onError: (e, body) =>
      onError(
        e,
        body.action === 'extend' ? extendForm : body.action === 'transfer' ? transferForm : undefined,
        ['days', 'reason', 'to', 'note'],
      ),
  });
  const { release, extend, transfer } = o.abilities;
  if (!release && !extend && !transfer) return null;
  return (
    <Space wrap>
      {release && (
        <Button
          type="primary"
          data-testid="observation-release"
          onClick={() =>
            void modal.confirm({
              title: t('observation.releaseConfirm', { name: o.person.name }),
              okText: t('observation.release'),
              cancelText: t('common.cancel'),
              onOk: () => step.mutateAsync({ action: 'release' }),
            })
          }
        >
          {t('observation.release')}
        </Button>
      )}
      {extend && (
        <Button data-testid="observation-extend" onClick={() => setExtending(true)}>
          {t('observation.extend')}
        </Button>
      )}
      {transfer && (
        <Button danger data-testid="observation-transfer" onClick={() => setTransferring(true)}>
          {t('observation.transfer')}
        </Button>
      )}
      <Modal
        open={extending}
        title={t('observation.extend')}
        okText={t('observation.extend')}
        cancelText={t('common.cancel')}
        confirmLoading={step.isPending}
        onCancel={() => setExtending(false)}
        onOk={() => extendForm.submit()}
        destroyOnHidden
      >
        <Form
          form={extendForm}
          layout="vertical"
          initialValues={{ days: 7 }}
          onFinish={(v) => step.mutate({ action: 'extend', days: v.days, reason: v.reason })}
        >
          <Form.Item name="days" label={t('observation.extendDays')} rules={[{ required: true }]}>
            <InputNumber min={1} max={OBSERVATION_MAX_DAYS} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="reason" label={t('observation.extendReason')} rules={[{ required: true }]}>
            <Input maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={transferring}
        title={t('observation.transfer')}
        okText={t('observation.transfer')}
        cancelText={t('common.cancel')}
        confirmLoading={step.isPending}
        onCancel={() => setTransferring(false)}
        onOk={() => transferForm.submit()}
        destroyOnHidden
      >
        <Form
          form={transferForm}
          layout="vertical"
          onFinish={(v) => step.mutate({ action: 'transfer', to: v.to, note: v.note ?? null })}
        >
          <Form.Item name="to" label={t('observation.transferHow')} rules={[{ required: true }]}>
            <Radio.Group className="linli-outcomes">
              {TRANSFER_REASONS.map((k) => (
                <Radio.Button key={k} value={k}>
                  {t(`observation.transferTo.${k}`)}
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>
          <Form.Item name="note" label={t('observation.note')}>
            <Input maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

/** Marks the alert of a day that found the person unwell handled: the village has acted on it. */
function HandleAlertButton({ o, date }: { o: ObservationView; date: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const onError = useFormErrorHandler();
  const handle = useMutation({
    mutationFn: () => handleAlert(o.id, date),
    onSuccess: (next) => {
      qc.setQueryData(observationKeys.detail(o.id), next);
      void qc.invalidateQueries({ queryKey: observationKeys.all });
      void message.success(t('observation.handled'));
    },
    onError: (e) => onError(e),
  });
  return (
    <Button
      danger
      data-testid={`handle-alert-${date}`}
      loading={handle.isPending}
      onClick={() => handle.mutate()}
    >
      {t('observation.handle')}
    </Button>
  );
}

export default function ObservationDetailPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { id } = useParams();
  const [search] = useSearchParams();
  const orderId = /^\d+$/.test(id ?? '') ? Number(id) : undefined;
  const q = useObservation(orderId);
  const o = q.data;
  return (
    <div>
      <div className="linli-page-title">
        <h1>{o ? t('observation.detailTitle', { name: o.person.name }) : t('observation.title')}</h1>
        <Button onClick={() => void navigate('/observations')}>{t('common.backToList')}</Button>
      </div>
      {q.isError && <ErrorAlert error={q.error} />}
      {q.isLoading && <Spin />}
      {o && (
        <Space orientation="vertical" style={{ width: '100%' }} data-testid="observation-detail">
          <Card size="small">
            <Descriptions column={{ xs: 1, md: 2 }} size="small">
              <Descriptions.Item label={t('observation.person')}>
                {o.person.name}
                {o.person.idNumberMasked ? ` · ${o.person.idNumberMasked}` : ''}
                {o.person.phoneMasked ? ` · ${o.person.phoneMasked}` : ''}
              </Descriptions.Item>
              <Descriptions.Item label={t('observation.status')}>
                <ObservationStatusTag status={o.status} />
                {o.transferTo && <Tag>{t(`observation.transferTo.${o.transferTo}`)}</Tag>}
              </Descriptions.Item>
              <Descriptions.Item label={t('observation.period')}>
                <span data-testid="observation-period">
                  {t('observation.periodValue', { start: o.startDate, end: o.endDate, days: o.days })}
                </span>
              </Descriptions.Item>
              <Descriptions.Item label={t('observation.node')}>{o.node.name}</Descriptions.Item>
              <Descriptions.Item label={t('observation.place')}>{o.place ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('observation.reason')}>{o.reason}</Descriptions.Item>
              <Descriptions.Item label={t('observation.carers')}>
                <span data-testid="observation-carers">
                  {o.carers.length === 0
                    ? t('observation.none')
                    : o.carers.map((c) => `${c.name}（${t(`observation.carerKind.${c.kind}`)}）`).join('、')}
                </span>
              </Descriptions.Item>
              {o.members.length > 0 && (
                <Descriptions.Item label={t('observation.members')}>
                  {o.members.map((m) => m.name).join('、')}
                </Descriptions.Item>
              )}
            </Descriptions>
            <Steps o={o} />
            {can('scales.send') && (
              <div style={{ marginTop: 8 }}>
                <SendScaleButton person={o.person} />
              </div>
            )}
          </Card>
          {o.abilities.followUp && (
            <Card size="small" title={t('observation.record')}>
              <FollowUpForm o={o} wanted={search.get('date')} />
            </Card>
          )}
          <Card size="small" title={t('observation.days')}>
            <ul className="linli-follow-ups" data-testid="follow-ups">
              {o.followUps.map((f) => (
                <li
                  key={f.date}
                  data-testid={`follow-up-${f.date}`}
                  className={f.date === o.today ? 'is-today' : ''}
                >
                  <span className="linli-follow-up-date">{f.date}</span>
                  <FollowUpTag status={f.status} />
                  {f.temperature !== null && <span>{`${f.temperature} ℃`}</span>}
                  {f.symptoms.length > 0 && (
                    <span>{f.symptoms.map((s) => t(`observation.symptom.${s}`)).join('、')}</span>
                  )}
                  {f.needs.length > 0 && (
                    <span>{f.needs.map((s) => t(`observation.need.${s}`)).join('、')}</span>
                  )}
                  {f.note && <span className="linli-muted">{f.note}</span>}
                  {f.status === 'unwell' && f.handledAt === null && o.abilities.handleAlert && (
                    <HandleAlertButton o={o} date={f.date} />
                  )}
                  {f.status === 'unwell' && f.handledAt !== null && (
                    <Tag>{t('observation.handledAt', { at: formatTime(f.handledAt) })}</Tag>
                  )}
                  {f.recordedBy && f.recordedAt && (
                    <span className="linli-muted">
                      {t('observation.recordedBy', { name: f.recordedBy.name, at: formatTime(f.recordedAt) })}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </Card>
        </Space>
      )}
    </div>
  );
}
