// A dispute reported in joint handling (问题联治) handed to people's mediation (矛盾联调) in one step, from
// the event's page: the case is prefilled from the event (its place, the kind of dispute its category
// names, what was reported, the reporter as the applicant), its source an event, linked by id; the
// server closes the event as with mediation in the same transaction. Its own chunk: only whoever
// receives disputes opens it.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Modal, Select } from 'antd';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { eventKeys, type EventDetail } from '../../api/events.js';
import { createCase, mediationKeys, type CreateCaseInput, type DisputeType } from '../../api/mediation.js';
import {
  DISPUTE_TYPES,
  MEDIATION_LIMITS,
  disputeTypeOfCategory,
} from '../../../common/contracts/mediation-codes.js';
import { useListFormError } from './forms.js';

interface Values {
  disputeType: DisputeType;
  facts: string;
  claims: string;
  applicant: string;
  respondent: string;
}
const FIELDS = ['disputeType', 'facts', 'claims'] as const;

export default function EventToCaseModal({ event, onClose }: { event: EventDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const onError = useListFormError();
  const [form] = Form.useForm<Values>();
  const save = useMutation({
    mutationFn: (v: Values) => {
      const body: CreateCaseInput = {
        nodeId: event.node.id,
        source: 'event',
        eventId: event.id,
        disputeType: v.disputeType,
        facts: v.facts.trim(),
        claims: v.claims.trim(),
        parties: [
          { side: 'applicant', name: v.applicant.trim() },
          { side: 'respondent', name: v.respondent.trim() },
        ],
      };
      return createCase(body);
    },
    onSuccess: (c) => {
      // The event is closed as with mediation now, and names its case.
      void qc.invalidateQueries({ queryKey: eventKeys.all });
      void qc.invalidateQueries({ queryKey: mediationKeys.all });
      void message.success(t('mediation.created', { no: c.dossierNo }));
      onClose();
      void navigate(`/mediation/cases/${c.id}`);
    },
    onError: (e) => onError(e, form, [...FIELDS]),
  });
  const text = { required: true, whitespace: true, max: MEDIATION_LIMITS.textChars };
  const name = { required: true, whitespace: true, max: MEDIATION_LIMITS.nameChars };
  return (
    <Modal
      open
      title={t('mediation.toMediation.title')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('mediation.toMediation.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: save.isPending, 'data-testid': 'to-mediation-submit' }}
      destroyOnHidden
    >
      <p className="linli-muted">{t('mediation.toMediation.intro', { place: event.node.name })}</p>
      <Form<Values>
        form={form}
        layout="vertical"
        data-testid="to-mediation-form"
        initialValues={{
          disputeType: disputeTypeOfCategory(event.category.code),
          facts: event.description,
          claims: '',
          applicant: event.reporter.name ?? '',
          respondent: '',
        }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="disputeType" label={t('mediation.disputeType')} rules={[{ required: true }]}>
          <Select
            data-testid="to-mediation-type"
            options={DISPUTE_TYPES.map((d) => ({ value: d, label: t(`mediation.type.${d}`) }))}
          />
        </Form.Item>
        <Form.Item name="facts" label={t('mediation.facts')} rules={[text]}>
          <Input.TextArea data-testid="to-mediation-facts" autoSize={{ minRows: 3, maxRows: 8 }} />
        </Form.Item>
        <Form.Item name="claims" label={t('mediation.claims')} rules={[text]}>
          <Input.TextArea data-testid="to-mediation-claims" autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
        <Form.Item name="applicant" label={t('mediation.toMediation.applicant')} rules={[name]}>
          <Input data-testid="to-mediation-applicant" maxLength={MEDIATION_LIMITS.nameChars} />
        </Form.Item>
        <Form.Item name="respondent" label={t('mediation.toMediation.respondent')} rules={[name]}>
          <Input data-testid="to-mediation-respondent" maxLength={MEDIATION_LIMITS.nameChars} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
