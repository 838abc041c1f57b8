// /confirmations — 司法确认, the judge's home: the applications for judicial confirmation sent to their
// court (accepted or declined within three days, then ruled on), each with its warnings and the
// agreement's PDF; and today's cloud hearings with the booking of a micro-court point.
import { useState, type HTMLAttributes } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input, Modal, Radio, Select, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  acceptConfirmation,
  agreementPdfUrl,
  decideConfirmation,
  mediationKeys,
  useConfirmations,
  useHearings,
  type ConfirmationState,
  type ConfirmationView,
} from '../../api/mediation.js';
import { useAuth } from '../../app/auth.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { FilterBar } from '../../app/components/FilterBar.js';
import { ResponsiveTable } from '../../app/components/ResponsiveTable.js';
import { CONFIRMATION_STATES, MEDIATION_LIMITS } from '../../../common/contracts/mediation-codes.js';
import { formatMinute, shanghaiDay } from './dates.js';
import { useListFormError } from './forms.js';
import { BookHearingModal, HearingList } from './Hearings.js';
import { ConfirmationStateTag } from './labels.js';
import './mediation.css';

type Step = { kind: 'accept'; accept: boolean } | { kind: 'decide' };

function StepModal({ f, step, onClose }: { f: ConfirmationView; step: Step; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ text?: string; confirm?: boolean }>();
  const onError = useListFormError();
  const run = useMutation({
    mutationFn: (v: { text?: string; confirm?: boolean }) =>
      step.kind === 'accept'
        ? acceptConfirmation(f.id, { accept: step.accept, reason: v.text?.trim() || null })
        : decideConfirmation(f.id, { confirm: v.confirm ?? false, ruling: (v.text ?? '').trim() }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: mediationKeys.all });
      onClose();
    },
    onError: (e) => onError(e, form, []),
  });
  const title =
    step.kind === 'decide'
      ? t('mediation.decide')
      : step.accept
        ? t('mediation.accept')
        : t('mediation.decline');
  return (
    <Modal
      open
      title={`${title} · ${f.dossierNo}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={title}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: run.isPending, 'data-testid': 'confirmation-step-submit' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => run.mutate(v)}>
        {step.kind === 'decide' && (
          <Form.Item name="confirm" label={t('mediation.ruleAs')} rules={[{ required: true }]}>
            <Radio.Group className="linli-med-choices" data-testid="decide-confirm">
              <Radio.Button value={true}>{t('mediation.confirmIt')}</Radio.Button>
              <Radio.Button value={false}>{t('mediation.refuseIt')}</Radio.Button>
            </Radio.Group>
          </Form.Item>
        )}
        {(step.kind === 'decide' || !step.accept) && (
          <Form.Item
            name="text"
            label={step.kind === 'decide' ? t('mediation.ruling') : t('mediation.declineReason')}
            rules={[
              {
                required: true,
                whitespace: true,
                max: step.kind === 'decide' ? MEDIATION_LIMITS.textChars : 1000,
              },
            ]}
          >
            <Input.TextArea data-testid="confirmation-text" autoSize={{ minRows: 3, maxRows: 10 }} />
          </Form.Item>
        )}
        {step.kind === 'accept' && step.accept && <p>{t('mediation.acceptHint')}</p>}
      </Form>
    </Modal>
  );
}

export default function ConfirmationsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [status, setStatus] = useState<ConfirmationState | undefined>();
  const list = useConfirmations(status);
  const today = shanghaiDay();
  const hearings = useHearings(today);
  const [step, setStep] = useState<{ f: ConfirmationView; step: Step } | null>(null);
  const [booking, setBooking] = useState(false);
  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('mediation.confirmationsTitle')}</h1>
      </div>
      <Card size="small" title={t('mediation.applications')} style={{ marginBottom: 12 }}>
        <FilterBar
          active={status ? 1 : 0}
          onClear={() => setStatus(undefined)}
          fields={[
            {
              id: 'confirmation-status',
              label: t('mediation.statusLabel'),
              control: (
                <Select<ConfirmationState>
                  id="confirmation-status"
                  allowClear
                  value={status}
                  placeholder={t('common.all')}
                  onChange={setStatus}
                  style={{ minWidth: 140 }}
                  options={CONFIRMATION_STATES.map((s) => ({
                    value: s,
                    label: t(`mediation.confirmationStatus.${s}`),
                  }))}
                />
              ),
            },
          ]}
        />
        {list.isError && <ErrorAlert error={list.error} style={{ marginBottom: 12 }} />}
        <ResponsiveTable<ConfirmationView>
          data-testid="confirmations"
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: t('mediation.noApplications') }}
          pagination={{ pageSize: 20 }}
          onRow={(f) => ({ 'data-testid': `confirmation-${f.id}` }) as HTMLAttributes<HTMLElement>}
          columns={[
            {
              key: 'dossier',
              title: t('mediation.dossierNo'),
              render: (_: unknown, f: ConfirmationView) => (
                <>
                  <div>{f.title}</div>
                  <div className="linli-muted">{f.dossierNo}</div>
                </>
              ),
            },
            {
              key: 'status',
              title: t('mediation.statusLabel'),
              render: (_: unknown, f: ConfirmationView) => <ConfirmationStateTag status={f.status} />,
            },
            {
              key: 'court',
              title: t('mediation.court'),
              render: (_: unknown, f: ConfirmationView) => f.court.name,
            },
            {
              key: 'acceptBy',
              title: t('mediation.acceptBy'),
              render: (_: unknown, f: ConfirmationView) =>
                f.status === 'submitted' ? (
                  <span style={f.acceptBy < today ? { color: '#cf1322' } : undefined}>{f.acceptBy}</span>
                ) : (
                  f.acceptBy
                ),
            },
            {
              key: 'submitted',
              title: t('mediation.submittedAt'),
              responsive: ['lg' as const],
              render: (_: unknown, f: ConfirmationView) => formatMinute(f.submittedAt),
            },
            {
              key: 'warnings',
              title: t('mediation.warnings'),
              render: (_: unknown, f: ConfirmationView) =>
                f.warnings.length === 0
                  ? null
                  : f.warnings.map((w) => (
                      <Tag key={w} color="orange">
                        {t(`mediation.matter.${w}`)}
                      </Tag>
                    )),
            },
            {
              key: 'materials',
              title: t('mediation.materials'),
              responsive: ['lg' as const],
              render: (_: unknown, f: ConfirmationView) =>
                f.materials.map((m) => t(`mediation.material.${m}`)).join('、'),
            },
            {
              key: 'ruling',
              title: t('mediation.ruling'),
              render: (_: unknown, f: ConfirmationView) =>
                f.ruling ? <span className="linli-med-pre">{f.ruling}</span> : null,
            },
            {
              key: 'actions',
              title: t('common.actions'),
              render: (_: unknown, f: ConfirmationView) => (
                <div className="linli-med-actions">
                  <a
                    href={agreementPdfUrl(f.agreementId)}
                    target="_blank"
                    rel="noopener noreferrer"
                    className="linli-link-button"
                    data-testid={`confirmation-pdf-${f.id}`}
                  >
                    {t('mediation.pdf')}
                  </a>
                  {f.abilities.accept && (
                    <>
                      <Button
                        type="primary"
                        onClick={() => setStep({ f, step: { kind: 'accept', accept: true } })}
                        data-testid={`accept-${f.id}`}
                      >
                        {t('mediation.accept')}
                      </Button>
                      <Button
                        danger
                        onClick={() => setStep({ f, step: { kind: 'accept', accept: false } })}
                        data-testid={`decline-${f.id}`}
                      >
                        {t('mediation.decline')}
                      </Button>
                    </>
                  )}
                  {f.abilities.decide && (
                    <Button
                      type="primary"
                      onClick={() => setStep({ f, step: { kind: 'decide' } })}
                      data-testid={`decide-${f.id}`}
                    >
                      {t('mediation.decide')}
                    </Button>
                  )}
                </div>
              ),
            },
          ]}
        />
      </Card>
      <Card
        size="small"
        title={t('mediation.todaysHearings', { date: today })}
        extra={
          can('hearings.manage') ? (
            <Button type="primary" onClick={() => setBooking(true)} data-testid="book-open">
              {t('mediation.bookHearing')}
            </Button>
          ) : null
        }
      >
        <HearingList items={hearings.data?.items ?? []} loading={hearings.isLoading} error={hearings.error} />
      </Card>
      {step && <StepModal f={step.f} step={step.step} onClose={() => setStep(null)} />}
      {booking && <BookHearingModal onClose={() => setBooking(false)} />}
    </div>
  );
}
