// 开具居家观察 from a person's page (or a hand-off's card): start date (today by default), days,
// reason, where, the household members observed with them, the incident command it serves (its
// purpose: the records go 28 days after the command closes), and the carers — accounts that follow
// up in the person's town or street or above, each with the kind they care as. On success the
// order's page opens, with its days to follow up.
import { useState } from 'react';
import { Checkbox, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  OBSERVATION_MAX_CARERS,
  OBSERVATION_MAX_DAYS,
  createObservation,
  observationKeys,
  useCarerCandidates,
} from '../../api/observations.js';
import { useCommands } from '../../api/command.js';
import { useAuth } from '../../app/auth.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { localDate } from '../../../common/worktime.js';

interface Values {
  startDate: string;
  days: number;
  reason: string;
  place?: string;
  carers: number[];
  doctors: number[];
  members: number[];
  commandId?: number;
}

/** Today in Asia/Shanghai, as the server counts the order's days. */
const todayInShanghai = () => localDate(new Date().toISOString());

export default function OrderObservationModal({
  person,
  members = [],
  reason,
  onClose,
}: {
  person: { id: number; name: string };
  /** The others of the person's household, who may be observed with them. */
  members?: readonly { id: number; name: string }[];
  /** A reason to start from (a hand-off's checkpoint). */
  reason?: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const onError = useFormErrorHandler();
  const [form] = Form.useForm<Values>();
  const [today] = useState(todayInShanghai);
  const candidates = useCarerCandidates(person.id);
  const { can } = useAuth();
  const commands = useCommands('true', can('command.read'));
  const options = candidates.data?.items ?? [];
  const save = useMutation({
    mutationFn: (v: Values) =>
      createObservation({
        personId: person.id,
        startDate: v.startDate,
        days: v.days,
        reason: v.reason,
        place: v.place?.trim() ? v.place.trim() : null,
        members: v.members,
        commandId: v.commandId ?? null,
        // A doctor chosen twice is the order's doctor (the health contact, told when someone is unwell).
        carers: [
          ...v.doctors.map((userId) => ({ userId, kind: 'doctor' as const })),
          ...v.carers
            .filter((userId) => !v.doctors.includes(userId))
            .map((userId) => ({
              userId,
              kind: options.find((o) => o.userId === userId)?.kind ?? ('party_member' as const),
            })),
        ],
      }),
    onSuccess: (o) => {
      void qc.invalidateQueries({ queryKey: observationKeys.all });
      void message.success(t('observation.ordered', { date: o.endDate }));
      onClose();
      void navigate(`/observations/${o.id}`);
    },
    onError: (e) =>
      onError(e, form, ['startDate', 'days', 'reason', 'place', 'carers', 'doctors', 'members', 'commandId']),
  });
  return (
    <Modal
      open
      title={t('observation.orderTitle', { name: person.name })}
      okText={t('observation.order')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onCancel={onClose}
      onOk={() => form.submit()}
    >
      <Form
        form={form}
        layout="vertical"
        data-testid="observation-order-form"
        initialValues={{ startDate: today, days: 14, carers: [], doctors: [], members: [], reason }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="startDate" label={t('observation.startDate')} rules={[{ required: true }]}>
          <Input type="date" data-testid="observation-start" />
        </Form.Item>
        <Form.Item name="days" label={t('observation.daysCount')} rules={[{ required: true }]}>
          <InputNumber
            min={1}
            max={OBSERVATION_MAX_DAYS}
            style={{ width: '100%' }}
            data-testid="observation-days"
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('observation.reason')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input maxLength={500} data-testid="observation-reason" />
        </Form.Item>
        <Form.Item name="place" label={t('observation.place')}>
          <Input maxLength={500} />
        </Form.Item>
        {members.length > 0 && (
          <Form.Item name="members" label={t('observation.members')}>
            <Checkbox.Group className="linli-check-rows">
              {members.map((m) => (
                <Checkbox key={m.id} value={m.id}>
                  {m.name}
                </Checkbox>
              ))}
            </Checkbox.Group>
          </Form.Item>
        )}
        {(commands.data?.items.length ?? 0) > 0 && (
          <Form.Item name="commandId" label={t('observation.command')}>
            <Select allowClear options={commands.data!.items.map((c) => ({ value: c.id, label: c.name }))} />
          </Form.Item>
        )}
        {/* The same accounts twice: as carers (the kind they would most likely care as), or as the doctor. */}
        {(['carers', 'doctors'] as const).map((field) => (
          <Form.Item
            key={field}
            name={field}
            label={t(field === 'carers' ? 'observation.carerPick' : 'observation.doctorPick')}
          >
            <Select
              mode="multiple"
              data-testid={`observation-${field}-select`}
              loading={candidates.isLoading}
              optionFilterProp="label"
              maxCount={OBSERVATION_MAX_CARERS}
              options={options.map((o) => ({
                value: o.userId,
                label:
                  field === 'carers'
                    ? `${o.name} · ${o.node.name} · ${t(`observation.carerKind.${o.kind}`)}`
                    : `${o.name} · ${o.node.name}`,
              }))}
            />
          </Form.Item>
        ))}
      </Form>
    </Modal>
  );
}
