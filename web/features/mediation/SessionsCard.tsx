// A case's sessions: scheduled in person, at a micro-court point, by video or by messages; a session
// held is minuted with the four elements the minutes need: who attended (ticked party by party, others
// by name), the facts found, each side's position and the result.
import { useMemo, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Button, Card, Checkbox, Form, Input, Modal, Radio, Select, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  minuteSession,
  scheduleSession,
  useCaseUpdate,
  useMediationOrgs,
  type CaseView,
  type ScheduleInput,
  type SessionView,
} from '../../api/mediation.js';
import {
  MEDIATION_LIMITS,
  SESSION_KINDS,
  SESSION_MODES,
  type SessionKind,
  type SessionMode,
} from '../../../common/contracts/mediation-codes.js';
import { formatMinute, localToInstant } from './dates.js';
import { useListFormError } from './forms.js';

const SESSION_COLORS = { scheduled: 'blue', held: 'green', cancelled: 'default' } as const;

interface ScheduleValues {
  startsAt: string;
  mode: SessionMode;
  kind: SessionKind | 'default';
  pointId?: number;
  meetingLink?: string;
}

function ScheduleModal({ c, onClose }: { c: CaseView; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ScheduleValues>();
  const onError = useListFormError();
  const update = useCaseUpdate(c.id);
  const mode = Form.useWatch('mode', form);
  const points = useMediationOrgs('micro_court', mode === 'micro_court');
  const save = useMutation({
    mutationFn: (v: ScheduleValues) => {
      const body: ScheduleInput = {
        startsAt: localToInstant(v.startsAt) ?? v.startsAt,
        mode: v.mode,
        ...(v.kind === 'default' ? {} : { kind: v.kind }),
        pointId: v.mode === 'micro_court' ? (v.pointId ?? null) : null,
        meetingLink: v.mode === 'video' ? (v.meetingLink?.trim() ?? null) : null,
      };
      return scheduleSession(c.id, body);
    },
    // The answer is the new session: the case is refetched to show it.
    onSuccess: () => {
      update();
      onClose();
    },
    onError: (e) => onError(e, form, ['startsAt', 'mode', 'kind', 'pointId', 'meetingLink']),
  });
  return (
    <Modal
      open
      title={t('mediation.schedule')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('mediation.schedule')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: save.isPending, 'data-testid': 'schedule-submit' }}
      destroyOnHidden
    >
      <Form<ScheduleValues>
        form={form}
        layout="vertical"
        initialValues={{ mode: 'in_person', kind: 'default' }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="startsAt" label={t('mediation.startsAt')} rules={[{ required: true }]}>
          <Input type="datetime-local" data-testid="session-starts" />
        </Form.Item>
        <Form.Item name="mode" label={t('mediation.modeLabel')} rules={[{ required: true }]}>
          <Radio.Group className="linli-med-choices" data-testid="session-mode">
            {SESSION_MODES.map((m) => (
              <Radio.Button key={m} value={m}>
                {t(`mediation.mode.${m}`)}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="kind"
          label={t('mediation.sessionKind')}
          extra={c.caucus ? t('mediation.caucusDefault') : undefined}
        >
          <Radio.Group className="linli-med-choices">
            <Radio.Button value="default">{t('mediation.kindDefault')}</Radio.Button>
            {SESSION_KINDS.map((k) => (
              <Radio.Button key={k} value={k}>
                {t(`mediation.sessionKindLabel.${k}`)}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        {mode === 'micro_court' && (
          <Form.Item name="pointId" label={t('mediation.point')} rules={[{ required: true }]}>
            <Select
              data-testid="session-point"
              loading={points.isLoading}
              showSearch={{ optionFilterProp: 'label' }}
              options={(points.data?.items ?? []).map((o) => ({
                value: o.id,
                label: `${o.name} · ${o.node.name}`,
              }))}
            />
          </Form.Item>
        )}
        {mode === 'video' && (
          <Form.Item
            name="meetingLink"
            label={t('mediation.meetingLink')}
            rules={[
              { required: true, type: 'url', pattern: /^https:\/\//, message: t('mediation.httpsOnly') },
            ]}
          >
            <Input data-testid="session-link" inputMode="url" placeholder="https://" maxLength={500} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

interface MinutesValues {
  attendance: number[];
  others?: string;
  facts: string;
  positions: string;
  result: string;
}

function MinutesModal({ c, session, onClose }: { c: CaseView; session: SessionView; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<MinutesValues>();
  const onError = useListFormError();
  const update = useCaseUpdate(c.id);
  const names = useMemo(() => new Map(c.parties.map((p) => [p.id, p.name])), [c.parties]);
  const ticked = Form.useWatch('attendance', form) ?? [];
  const save = useMutation({
    mutationFn: (v: MinutesValues) => {
      const others = (v.others ?? '')
        .split(/\r?\n/)
        .map((s) => s.trim())
        .filter(Boolean);
      return minuteSession(c.id, session.id, {
        attendance: v.attendance,
        attendees: [...v.attendance.map((id) => names.get(id) ?? ''), ...others].filter(Boolean),
        facts: v.facts.trim(),
        positions: v.positions.trim(),
        result: v.result.trim(),
      });
    },
    onSuccess: (v) => {
      update(v);
      onClose();
    },
    onError: (e) => onError(e, form, ['attendance', 'facts', 'positions', 'result']),
  });
  const all = c.parties.map((p) => p.id);
  return (
    <Modal
      open
      title={t('mediation.minutesTitle', { at: formatMinute(session.startsAt) })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('mediation.saveMinutes')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: save.isPending, 'data-testid': 'minutes-submit' }}
      destroyOnHidden
    >
      <Form<MinutesValues>
        form={form}
        layout="vertical"
        initialValues={{ attendance: [], others: c.mediator?.name ?? '' }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item
          label={
            <span>
              {t('mediation.attendance')} ({ticked.length}/{all.length}){' '}
              <Button
                type="link"
                size="small"
                onClick={() => form.setFieldValue('attendance', ticked.length === all.length ? [] : all)}
              >
                {ticked.length === all.length ? t('mediation.untickAll') : t('mediation.tickAll')}
              </Button>
            </span>
          }
          name="attendance"
        >
          <Checkbox.Group className="linli-med-checks" data-testid="minutes-attendance">
            {c.parties.map((p) => (
              <Checkbox key={p.id} value={p.id} data-testid={`attend-${p.id}`}>
                {p.name} <span className="linli-muted">{t(`mediation.sideLabel.${p.side}`)}</span>
              </Checkbox>
            ))}
          </Checkbox.Group>
        </Form.Item>
        <Form.Item
          name="others"
          label={t('mediation.otherAttendees')}
          extra={t('mediation.otherAttendeesHint')}
          rules={[
            {
              validator: (_, v: string | undefined) =>
                ticked.length > 0 || (v ?? '').trim()
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('mediation.attendeesRequired'))),
            },
          ]}
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
        {(['facts', 'positions', 'result'] as const).map((k) => (
          <Form.Item
            key={k}
            name={k}
            label={t(`mediation.minutes.${k}`)}
            rules={[{ required: true, whitespace: true, max: MEDIATION_LIMITS.textChars }]}
          >
            <Input.TextArea data-testid={`minutes-${k}`} autoSize={{ minRows: 2, maxRows: 8 }} />
          </Form.Item>
        ))}
      </Form>
    </Modal>
  );
}

export function SessionsCard({ c }: { c: CaseView }) {
  const { t } = useTranslation();
  const [scheduling, setScheduling] = useState(false);
  const [minuting, setMinuting] = useState<SessionView | null>(null);
  const names = new Map(c.parties.map((p) => [p.id, p.name]));
  return (
    <Card
      size="small"
      title={t('mediation.sessions')}
      id="sessions"
      data-testid="case-sessions"
      extra={
        c.abilities.schedule ? (
          <Button type="primary" onClick={() => setScheduling(true)} data-testid="schedule-open">
            {t('mediation.schedule')}
          </Button>
        ) : null
      }
    >
      {c.sessions.length === 0 && <p className="linli-muted">{t('mediation.noSessions')}</p>}
      <ul className="linli-med-rows">
        {c.sessions.map((s) => (
          <li key={s.id} data-testid={`session-${s.id}`}>
            <span className="linli-med-grow">
              <strong>{formatMinute(s.startsAt)}</strong> {t(`mediation.mode.${s.mode}`)} ·{' '}
              {t(`mediation.sessionKindLabel.${s.kind}`)}{' '}
              <Tag color={SESSION_COLORS[s.status]}>{t(`mediation.sessionStatus.${s.status}`)}</Tag>
              {s.point && <div className="linli-muted">{s.point.name}</div>}
              {s.meetingLink && (
                <div>
                  <a
                    href={s.meetingLink}
                    target="_blank"
                    rel="noopener noreferrer"
                    className="linli-med-hash"
                  >
                    {s.meetingLink}
                  </a>
                </div>
              )}
              {s.minutes && (
                <details>
                  <summary>{t('mediation.minutesShow', { n: s.attendance.length })}</summary>
                  <dl className="linli-med-pre" style={{ margin: '4px 0 0' }}>
                    <dt className="linli-muted">{t('mediation.attendance')}</dt>
                    <dd style={{ marginInlineStart: 0 }}>
                      {s.minutes.attendees.join('、') ||
                        s.attendance.map((id) => names.get(id) ?? '').join('、')}
                    </dd>
                    {(['facts', 'positions', 'result'] as const).map((k) => (
                      <div key={k}>
                        <dt className="linli-muted">{t(`mediation.minutes.${k}`)}</dt>
                        <dd style={{ marginInlineStart: 0 }}>{s.minutes?.[k]}</dd>
                      </div>
                    ))}
                  </dl>
                </details>
              )}
            </span>
            {c.abilities.minute && s.status === 'scheduled' && (
              <Button onClick={() => setMinuting(s)} data-testid={`minute-${s.id}`}>
                {t('mediation.minute')}
              </Button>
            )}
          </li>
        ))}
      </ul>
      {scheduling && <ScheduleModal c={c} onClose={() => setScheduling(false)} />}
      {minuting && <MinutesModal c={c} session={minuting} onClose={() => setMinuting(null)} />}
    </Card>
  );
}
