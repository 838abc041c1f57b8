// Follow-up visits after an agreement's deadlines (Art. 31): whether it was performed (in full, in part,
// not at all: three large buttons) and the parties' satisfaction (1–5). A confirmed agreement found not
// performed is flagged (the parties may apply to the court for enforcement).
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Button, Card, Form, Input, Modal, Radio, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { recordFollowUp, useCaseUpdate, type CaseView, type FollowUpView } from '../../api/mediation.js';
import { PERFORMANCE, type Performance } from '../../../common/contracts/mediation-codes.js';
import { formatMinute, shanghaiDay } from './dates.js';
import { useListFormError } from './forms.js';

interface Values {
  performance: Performance;
  satisfaction: number;
  note?: string;
}

function RecordModal({ c, f, onClose }: { c: CaseView; f: FollowUpView; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const onError = useListFormError();
  const update = useCaseUpdate(c.id);
  const save = useMutation({
    mutationFn: (v: Values) =>
      recordFollowUp(f.id, {
        performance: v.performance,
        satisfaction: v.satisfaction,
        note: v.note?.trim() || null,
      }),
    onSuccess: () => {
      update();
      onClose();
    },
    onError: (e) => onError(e, form, ['performance', 'satisfaction', 'note']),
  });
  return (
    <Modal
      open
      title={t('mediation.followUpTitle', { date: f.dueOn })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: save.isPending, 'data-testid': 'follow-up-submit' }}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="performance" label={t('mediation.performanceLabel')} rules={[{ required: true }]}>
          <Radio.Group className="linli-med-choices" data-testid="follow-up-performance">
            {PERFORMANCE.map((p) => (
              <Radio.Button key={p} value={p}>
                {t(`mediation.performance.${p}`)}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item name="satisfaction" label={t('mediation.satisfaction')} rules={[{ required: true }]}>
          <Radio.Group className="linli-med-choices" data-testid="follow-up-satisfaction">
            {[1, 2, 3, 4, 5].map((n) => (
              <Radio.Button key={n} value={n} aria-label={t('mediation.satisfactionN', { n })}>
                {n}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        <p className="linli-muted" style={{ marginTop: -12 }}>
          {t('mediation.satisfactionHint')}
        </p>
        <Form.Item name="note" label={t('mediation.note')} rules={[{ max: 1000 }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function FollowUpsCard({ c }: { c: CaseView }) {
  const { t } = useTranslation();
  const [recording, setRecording] = useState<FollowUpView | null>(null);
  if (c.followUps.length === 0) return null;
  const today = shanghaiDay();
  return (
    <Card size="small" title={t('mediation.followUps')} id="follow-ups" data-testid="case-follow-ups">
      <ul className="linli-med-rows">
        {c.followUps.map((f) => (
          <li key={f.id} data-testid={`follow-up-${f.id}`}>
            <span className="linli-med-grow">
              <strong>{t('mediation.followUpDueOn', { date: f.dueOn })}</strong>{' '}
              {f.status === 'due' ? (
                <Tag color={f.dueOn < today ? 'red' : 'blue'}>{t('mediation.followUpStatus.due')}</Tag>
              ) : (
                <Tag color="green">{t('mediation.followUpStatus.done')}</Tag>
              )}
              {f.flagged && <Tag color="red">{t('mediation.flagged')}</Tag>}
              {f.performance && (
                <div className="linli-muted">
                  {t(`mediation.performance.${f.performance}`)} ·{' '}
                  {t('mediation.satisfactionN', { n: f.satisfaction ?? 0 })}
                  {f.visitedAt && ` · ${formatMinute(f.visitedAt)}`}
                  {f.note && <div className="linli-med-pre">{f.note}</div>}
                </div>
              )}
            </span>
            {f.status === 'due' && c.abilities.followUp && (
              <Button type="primary" onClick={() => setRecording(f)} data-testid={`follow-up-record-${f.id}`}>
                {t('mediation.recordFollowUp')}
              </Button>
            )}
          </li>
        ))}
      </ul>
      {recording && <RecordModal c={c} f={recording} onClose={() => setRecording(null)} />}
    </Card>
  );
}
