// Posting a call-out ("社区呼叫"): what, where to meet, when, how many, which skills; or turning a
// checkpoint's uncovered shift of the coming week into one, where whoever signs up stands the shift.
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { App, Checkbox, Form, Input, InputNumber, Modal, Select, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCoverage } from '../../api/defence.js';
import { calloutFromShift, createCallout, useServicesRefresh, type Skill } from '../../api/services.js';
import { useJurisdiction } from '../../app/jurisdiction.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { NodeTreeSelect } from '../../app/components/NodeTreeSelect.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { SERVICES_LIMITS, SKILLS } from '../../../common/contracts/services-codes.js';
import { instantToLocal, localToInstant } from '../mediation/dates.js';
import { spanText } from './labels.js';
import { useOrgOptions } from './VolunteerForms.js';

interface Values {
  nodeId?: number;
  title: string;
  meetingPoint: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  skills: Skill[];
  details?: string;
  orgId?: number;
}

const HOUR = 3_600_000;

export function PostCalloutModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { node } = useJurisdiction();
  const [form] = Form.useForm<Values>();
  const onError = useFormErrorHandler();
  const refresh = useServicesRefresh();
  const orgs = useOrgOptions();
  const [initial] = useState(() => {
    const start = Math.ceil(Date.now() / HOUR) * HOUR + HOUR;
    return {
      nodeId: node?.id,
      startsAt: instantToLocal(new Date(start).toISOString()),
      endsAt: instantToLocal(new Date(start + 4 * HOUR).toISOString()),
      capacity: 4,
      skills: [] as Skill[],
    };
  });
  const post = useMutation({
    mutationFn: (v: Values) =>
      createCallout({
        nodeId: v.nodeId ?? 0,
        title: v.title.trim(),
        meetingPoint: v.meetingPoint.trim(),
        startsAt: localToInstant(v.startsAt) ?? v.startsAt,
        endsAt: localToInstant(v.endsAt) ?? v.endsAt,
        capacity: v.capacity,
        skills: v.skills,
        details: v.details?.trim() ? v.details.trim() : null,
        orgId: v.orgId ?? null,
      }),
    onSuccess: (c) => {
      void message.success(t('services.posted'));
      refresh({ callout: c });
      onClose();
      void navigate(`/callouts/${c.id}`);
    },
    onError: (e) =>
      onError(e, form, [
        'nodeId',
        'title',
        'meetingPoint',
        'startsAt',
        'endsAt',
        'capacity',
        'skills',
        'details',
        'orgId',
      ]),
  });
  return (
    <Modal
      open
      title={t('services.postCallout')}
      onCancel={onClose}
      okText={t('services.post')}
      okButtonProps={{
        loading: post.isPending,
        'data-testid': 'callout-post',
      }}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={(v) => post.mutate(v)}
        data-testid="callout-form"
      >
        <Form.Item name="nodeId" label={t('services.place')} rules={[{ required: true }]}>
          <NodeTreeSelect valueLabel={node?.name} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="title"
          label={t('services.calloutTitle')}
          rules={[{ required: true, whitespace: true, max: SERVICES_LIMITS.nameChars }]}
        >
          <Input maxLength={SERVICES_LIMITS.nameChars} data-testid="callout-title" />
        </Form.Item>
        <Form.Item
          name="meetingPoint"
          label={t('services.meetingPoint')}
          rules={[{ required: true, whitespace: true, max: 200 }]}
        >
          <Input maxLength={200} data-testid="callout-meeting-point" />
        </Form.Item>
        <Form.Item name="startsAt" label={t('services.startsAt')} rules={[{ required: true }]}>
          <Input type="datetime-local" data-testid="callout-starts" />
        </Form.Item>
        <Form.Item name="endsAt" label={t('services.endsAt')} rules={[{ required: true }]}>
          <Input type="datetime-local" data-testid="callout-ends" />
        </Form.Item>
        <Form.Item
          name="capacity"
          label={t('services.capacity')}
          rules={[{ required: true, type: 'number', min: 1, max: SERVICES_LIMITS.capacityMax }]}
        >
          <InputNumber
            min={1}
            max={SERVICES_LIMITS.capacityMax}
            inputMode="numeric"
            style={{ width: '100%' }}
            data-testid="callout-capacity"
          />
        </Form.Item>
        <Form.Item name="skills" label={t('services.skillsAsked')} extra={t('services.skillsAskedHelp')}>
          <Checkbox.Group
            className="linli-svc-checks"
            options={SKILLS.map((s) => ({ value: s, label: t(`services.skill.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="orgId" label={t('services.org')}>
          <Select allowClear placeholder={t('services.anyOrg')} {...orgs} />
        </Form.Item>
        <Form.Item name="details" label={t('services.details')} rules={[{ max: SERVICES_LIMITS.textChars }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** A checkpoint's shifts of the coming week that lack people, each one tap from a call-out. */
export function FromShiftModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { node } = useJurisdiction();
  const onError = useFormErrorHandler();
  const refresh = useServicesRefresh();
  const [span] = useState(() => {
    const now = Date.now();
    return { from: new Date(now).toISOString(), to: new Date(now + 7 * 24 * HOUR).toISOString() };
  });
  const coverage = useCoverage({ node: node?.id, ...span }, node !== null);
  const [shiftId, setShiftId] = useState<number | undefined>();
  const shifts = (coverage.data?.items ?? []).filter((s) => s.status !== 'covered');
  const make = useMutation({
    mutationFn: (id: number) => calloutFromShift({ shiftId: id }),
    onSuccess: (c) => {
      void message.success(t('services.posted'));
      refresh({ callout: c });
      onClose();
      void navigate(`/callouts/${c.id}`);
    },
    onError: (e) => onError(e),
  });
  return (
    <Modal
      open
      title={t('services.fromShift')}
      onCancel={onClose}
      okText={t('services.post')}
      okButtonProps={{
        disabled: shiftId === undefined,
        loading: make.isPending,
        'data-testid': 'from-shift-post',
      }}
      onOk={() => shiftId !== undefined && make.mutate(shiftId)}
      destroyOnHidden
    >
      <p className="linli-muted">{t('services.fromShiftHelp')}</p>
      {coverage.isLoading && <Spin />}
      <ErrorAlert error={coverage.error} />
      {coverage.isSuccess && shifts.length === 0 && <p>{t('services.noShiftsShort')}</p>}
      {shifts.length > 0 && (
        <>
          <label htmlFor="from-shift-select">{t('services.shift')}</label>
          <Select<number>
            id="from-shift-select"
            style={{ width: '100%' }}
            value={shiftId}
            onChange={setShiftId}
            data-testid="from-shift-select"
            options={shifts.map((s) => ({
              value: s.id,
              label: `${s.checkpointName} · ${spanText(s.startsAt, s.endsAt)} · ${t('services.shortOf', {
                n: s.required - s.assigned,
              })}`,
            }))}
          />
        </>
      )}
    </Modal>
  );
}
