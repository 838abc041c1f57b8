// Ending or moving a case: mediation failed (with the other routes open to the parties explained,
// Art. 26), the applicant withdraws, the case goes up the ladder (village → town → district), or to
// another route (joint handling, the police, a court). Each asks for its reason.
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Button, Card, Form, Input, Modal, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import { concludeCase, failCase, useCaseUpdate, type CaseView } from '../../api/mediation.js';
import { FAILURE_ROUTES, type FailureRoute } from '../../../common/contracts/mediation-codes.js';
import { useListFormError } from './forms.js';

type Step = 'fail' | 'withdraw' | 'escalate' | 'refer';
const STEPS: readonly Step[] = ['fail', 'withdraw', 'escalate', 'refer'];

function StepModal({ c, step, onClose }: { c: CaseView; step: Step; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string; route?: FailureRoute }>();
  const onError = useListFormError();
  const update = useCaseUpdate(c.id);
  const run = useMutation({
    mutationFn: (v: { reason: string; route?: FailureRoute }) =>
      step === 'fail'
        ? failCase(c.id, { route: v.route ?? 'other', note: v.reason.trim() })
        : concludeCase(c.id, step, v.reason.trim()),
    onSuccess: (v) => {
      update(v);
      onClose();
    },
    onError: (e) => onError(e, form, ['reason', 'route', 'note']),
  });
  return (
    <Modal
      open
      title={t(`mediation.step.${step}`)}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t(`mediation.step.${step}`)}
      okButtonProps={{ danger: step !== 'escalate', loading: run.isPending, 'data-testid': 'step-submit' }}
      cancelText={t('common.cancel')}
      destroyOnHidden
    >
      <p className="linli-muted">{t(`mediation.stepHint.${step}`)}</p>
      <Form form={form} layout="vertical" onFinish={(v) => run.mutate(v)}>
        {step === 'fail' && (
          <Form.Item name="route" label={t('mediation.failureRoute')} rules={[{ required: true }]}>
            <Radio.Group className="linli-med-choices" data-testid="fail-route">
              {FAILURE_ROUTES.map((r) => (
                <Radio.Button key={r} value={r}>
                  {t(`mediation.route.${r}`)}
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>
        )}
        <Form.Item
          name="reason"
          label={step === 'fail' ? t('mediation.failNote') : t('mediation.reason')}
          rules={[{ required: true, whitespace: true, max: 1000 }]}
        >
          <Input.TextArea data-testid="step-reason" autoSize={{ minRows: 3, maxRows: 8 }} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function ConcludeCard({ c }: { c: CaseView }) {
  const { t } = useTranslation();
  const [step, setStep] = useState<Step | null>(null);
  const allowed = STEPS.filter((s) => c.abilities[s]);
  if (allowed.length === 0) return null;
  return (
    <Card size="small" title={t('mediation.concludeTitle')} data-testid="case-conclude">
      <div className="linli-med-actions">
        {allowed.map((s) => (
          <Button
            key={s}
            danger={s === 'fail' || s === 'withdraw'}
            onClick={() => setStep(s)}
            data-testid={`step-${s}`}
          >
            {t(`mediation.step.${s}`)}
          </Button>
        ))}
      </div>
      {step && <StepModal c={c} step={step} onClose={() => setStep(null)} />}
    </Card>
  );
}
