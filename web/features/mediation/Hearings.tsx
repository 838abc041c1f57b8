// Cloud hearings at micro-court points (微法庭): a day's bookings, each with its participants and, for
// the invited mediator at the point (or the judge), the attendance recorded with the IDs checked on
// site; and the judge's booking of a point's one computer (a clash answers 409 with the booking in the
// way, said in words).
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Form, Input, Modal, Popconfirm, Select, Tag } from 'antd';
import { DeleteOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.js';
import {
  bookHearing,
  cancelHearing,
  mediationKeys,
  recordAttendance,
  useMediationOrgs,
  type HearingView,
} from '../../api/mediation.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { useErrorTexts } from '../../app/errors.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { HEARING_PLACES, MEDIATION_LIMITS } from '../../../common/contracts/mediation-codes.js';
import { formatHm, formatMinute, localToInstant } from './dates.js';
import { useListFormError } from './forms.js';

const HEARING_COLORS = { scheduled: 'blue', held: 'green', cancelled: 'default' } as const;

/** The attendance: a row per participant tapped whole, and the ID check the invited mediator vouches for. */
function Attendance({ h }: { h: HearingView }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const onError = useFormErrorHandler();
  const [present, setPresent] = useState<number[]>(() =>
    h.participants.flatMap((p, i) => (p.present ? [i] : [])),
  );
  const [checked, setChecked] = useState(false);
  const save = useMutation({
    mutationFn: () => recordAttendance(h.id, { present, idChecked: true }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: mediationKeys.all }),
    onError: (e) => onError(e),
  });
  return (
    <div data-testid={`attendance-${h.id}`}>
      <Checkbox.Group
        className="linli-med-checks"
        value={present}
        onChange={(v) => setPresent(v)}
        aria-label={t('mediation.attendance')}
      >
        {h.participants.map((p, i) => (
          <Checkbox key={i} value={i} data-testid={`present-${h.id}-${i}`}>
            {p.name} <span className="linli-muted">{t(`mediation.hearingPlace.${p.place}`)}</span>
          </Checkbox>
        ))}
      </Checkbox.Group>
      <Checkbox
        className="linli-med-check"
        checked={checked}
        onChange={(e) => setChecked(e.target.checked)}
        data-testid={`ids-checked-${h.id}`}
        style={{ marginTop: 4 }}
      >
        <strong>{t('mediation.idsCheckedOnSite')}</strong>
      </Checkbox>
      <div style={{ marginTop: 8 }}>
        <Button
          type="primary"
          disabled={!checked}
          loading={save.isPending}
          onClick={() => save.mutate()}
          data-testid={`attendance-save-${h.id}`}
        >
          {t('mediation.saveAttendance', { n: present.length })}
        </Button>
      </div>
    </div>
  );
}

export function HearingCard({ h }: { h: HearingView }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const onError = useFormErrorHandler();
  const cancel = useMutation({
    mutationFn: () => cancelHearing(h.id),
    onSuccess: () => void qc.invalidateQueries({ queryKey: mediationKeys.all }),
    onError: (e) => onError(e),
  });
  return (
    <Card
      size="small"
      data-testid={`hearing-${h.id}`}
      title={
        <span style={{ whiteSpace: 'normal' }}>
          {formatHm(h.startsAt)}–{formatHm(h.endsAt)} {h.title}
        </span>
      }
      extra={<Tag color={HEARING_COLORS[h.status]}>{t(`mediation.hearingStatus.${h.status}`)}</Tag>}
      style={{ marginBottom: 12 }}
    >
      <p className="linli-muted" style={{ marginTop: 0 }}>
        {h.point.name} · {t('mediation.judgeN', { name: h.judge.name })}
      </p>
      {h.abilities.attend ? (
        <Attendance h={h} />
      ) : (
        <ul className="linli-med-rows">
          {h.participants.map((p, i) => (
            <li key={i}>
              <span className="linli-med-grow">
                {p.name} <span className="linli-muted">{t(`mediation.hearingPlace.${p.place}`)}</span>
              </span>
              {h.status === 'held' &&
                (p.present ? (
                  <Tag color="green">{t('mediation.present')}</Tag>
                ) : (
                  <Tag>{t('mediation.absent')}</Tag>
                ))}
            </li>
          ))}
        </ul>
      )}
      {h.abilities.cancel && (
        <Popconfirm title={t('mediation.cancelHearingConfirm')} onConfirm={() => cancel.mutate()}>
          <Button
            danger
            loading={cancel.isPending}
            style={{ marginTop: 8 }}
            data-testid={`hearing-cancel-${h.id}`}
          >
            {t('mediation.cancelHearing')}
          </Button>
        </Popconfirm>
      )}
    </Card>
  );
}

export function HearingList({
  items,
  loading,
  error,
}: {
  items: HearingView[];
  loading: boolean;
  error: unknown;
}) {
  const { t } = useTranslation();
  return (
    <div data-testid="hearings">
      {error ? <ErrorAlert error={error} /> : null}
      {!loading && !error && items.length === 0 && <p className="linli-muted">{t('mediation.noHearings')}</p>}
      {items.map((h) => (
        <HearingCard key={h.id} h={h} />
      ))}
    </div>
  );
}

interface BookValues {
  pointId?: number;
  title: string;
  startsAt: string;
  endsAt: string;
  participants: { name?: string; place: (typeof HEARING_PLACES)[number] }[];
}

export function BookHearingModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<BookValues>();
  const onError = useListFormError();
  const texts = useErrorTexts();
  const points = useMediationOrgs('micro_court');
  const [clash, setClash] = useState<string | null>(null);
  const book = useMutation({
    mutationFn: (v: BookValues) =>
      bookHearing({
        pointId: v.pointId ?? 0,
        title: v.title.trim(),
        startsAt: localToInstant(v.startsAt) ?? v.startsAt,
        endsAt: localToInstant(v.endsAt) ?? v.endsAt,
        participants: v.participants.map((p) => ({ name: (p.name ?? '').trim(), place: p.place })),
      }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: mediationKeys.all });
      onClose();
    },
    onError: (e) => {
      // The point is taken at that time: said in the form, with the booking in the way.
      // The server names the booking in the way by its instants (UTC): shown in Shanghai time.
      if (isApiError(e) && e.code === 'mediation.point_booked')
        return setClash(
          texts.title(e).replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, (iso) => formatMinute(iso)),
        );
      onError(e, form, ['pointId', 'title', 'startsAt', 'endsAt', 'participants']);
    },
  });
  return (
    <Modal
      open
      title={t('mediation.bookHearing')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('mediation.book')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: book.isPending, 'data-testid': 'book-submit' }}
      destroyOnHidden
    >
      <Form<BookValues>
        form={form}
        layout="vertical"
        initialValues={{ participants: [{ place: 'court' }, { place: 'point' }] }}
        onValuesChange={() => setClash(null)}
        onFinish={(v) => {
          if (v.endsAt <= v.startsAt)
            return form.setFields([{ name: 'endsAt', errors: [t('mediation.endsAfter')] }]);
          book.mutate(v);
        }}
      >
        <Form.Item name="pointId" label={t('mediation.point')} rules={[{ required: true }]}>
          <Select
            data-testid="book-point"
            loading={points.isLoading}
            showSearch={{ optionFilterProp: 'label' }}
            options={(points.data?.items ?? []).map((o) => ({
              value: o.id,
              label: `${o.name} · ${o.node.name}`,
            }))}
          />
        </Form.Item>
        <Form.Item
          name="title"
          label={t('mediation.hearingTitle')}
          rules={[{ required: true, whitespace: true, max: 200 }]}
        >
          <Input data-testid="book-title" maxLength={200} />
        </Form.Item>
        <div className="linli-med-entry-fields">
          <Form.Item name="startsAt" label={t('mediation.startsAt')} rules={[{ required: true }]}>
            <Input type="datetime-local" data-testid="book-starts" />
          </Form.Item>
          <Form.Item name="endsAt" label={t('mediation.endsAt')} rules={[{ required: true }]}>
            <Input type="datetime-local" data-testid="book-ends" />
          </Form.Item>
        </div>
        <Form.List name="participants">
          {(fields, { add, remove }) => (
            <>
              <div className="linli-muted" style={{ marginBottom: 4 }}>
                {t('mediation.participants')}
              </div>
              {fields.map((f, i) => (
                <div key={f.key} className="linli-med-entry">
                  <div className="linli-med-entry-head">
                    <strong>{t('mediation.participantN', { n: i + 1 })}</strong>
                    <Button
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={t('mediation.removeParticipant', { n: i + 1 })}
                      disabled={fields.length <= 1}
                      onClick={() => remove(f.name)}
                    />
                  </div>
                  <div className="linli-med-entry-fields">
                    <Form.Item
                      name={[f.name, 'name']}
                      label={t('mediation.partyName')}
                      rules={[{ required: true, whitespace: true, max: MEDIATION_LIMITS.nameChars }]}
                    >
                      <Input data-testid={`participant-name-${i}`} maxLength={MEDIATION_LIMITS.nameChars} />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, 'place']}
                      label={t('mediation.joinsFrom')}
                      rules={[{ required: true }]}
                    >
                      <Select
                        options={HEARING_PLACES.map((p) => ({
                          value: p,
                          label: t(`mediation.hearingPlace.${p}`),
                        }))}
                      />
                    </Form.Item>
                  </div>
                </div>
              ))}
              <Button
                onClick={() => add({ place: 'point' })}
                disabled={fields.length >= MEDIATION_LIMITS.participants}
                data-testid="participant-add"
              >
                {t('mediation.addParticipant')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
      {clash && (
        <Alert
          type="error"
          showIcon
          role="alert"
          style={{ marginTop: 12 }}
          title={clash}
          description={t('mediation.pointBookedHint')}
          data-testid="book-clash"
        />
      )}
    </Modal>
  );
}
