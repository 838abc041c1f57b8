// /mediation/new — 登记纠纷: a dispute received (the place, how it came in, its type, the facts and
// claims, the amount) with its parties on both sides: at least one applicant and one respondent. A
// wage case may have dozens of claimants: their names and ID numbers are pasted as lines and become
// applicants at once.
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Select, Space, Typography } from 'antd';
import { DeleteOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { createCase, mediationKeys, type CreateCaseInput } from '../../api/mediation.js';
import { useJurisdiction } from '../../app/jurisdiction.js';
import { LazyNodeTreeSelect } from '../../app/components/LazyNodeTreeSelect.js';
import {
  CASE_SOURCES,
  DISPUTE_TYPES,
  MEDIATION_LIMITS,
  PARTY_KINDS,
  PARTY_SIDES,
  type CaseSource,
  type DisputeType,
  type PartyKind,
  type PartySide,
} from '../../../common/contracts/mediation-codes.js';
import { useIdentityRules, useListFormError } from './forms.js';
import { parsePasted, type PasteProblem } from './paste.js';
import './mediation.css';

interface PartyRow {
  side: PartySide;
  kind: PartyKind;
  name?: string;
  idNumber?: string;
  phone?: string;
  agent?: string;
}
interface Values {
  nodeId?: number;
  source: CaseSource;
  disputeType?: DisputeType;
  facts: string;
  claims: string;
  amountYuan?: number | null;
  parties: PartyRow[];
}

const FIELDS = ['nodeId', 'source', 'disputeType', 'facts', 'claims', 'amountYuan', 'parties'];
const blank = (side: PartySide): PartyRow => ({ side, kind: 'person' });
const orNull = (s: string | undefined) => (s?.trim() ? s.trim() : null);

/** Pasted lines → applicants, with what could not be read said line by line. */
function PasteModal({
  known,
  onAdd,
  onClose,
}: {
  known: string[];
  onAdd: (people: PartyRow[]) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const parsed = useMemo(() => parsePasted(text, known), [text, known]);
  const problemText = (p: PasteProblem) => t(`mediation.paste.${p}`);
  return (
    <Modal
      open
      title={t('mediation.paste.title')}
      onCancel={onClose}
      okText={t('mediation.paste.add', { n: parsed.people.length })}
      okButtonProps={{ disabled: parsed.people.length === 0, 'data-testid': 'paste-add' }}
      cancelText={t('common.cancel')}
      onOk={() => {
        onAdd(
          parsed.people.map((p) => ({
            side: 'applicant',
            kind: 'person',
            name: p.name,
            idNumber: p.idNumber ?? undefined,
            phone: p.phone ?? undefined,
          })),
        );
        onClose();
      }}
    >
      <Typography.Paragraph type="secondary">{t('mediation.paste.hint')}</Typography.Paragraph>
      <Input.TextArea
        aria-label={t('mediation.paste.title')}
        data-testid="paste-text"
        value={text}
        onChange={(e) => setText(e.target.value)}
        autoSize={{ minRows: 6, maxRows: 14 }}
        placeholder={t('mediation.paste.placeholder')}
      />
      <p role="status" style={{ margin: '8px 0' }} data-testid="paste-count">
        {t('mediation.paste.found', { n: parsed.people.length })}
      </p>
      {parsed.problems.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={t('mediation.paste.problems', { n: parsed.problems.length })}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {parsed.problems.slice(0, 20).map((p) => (
                <li key={p.line} className="linli-med-pre">
                  {t('mediation.paste.line', { line: p.line })} {p.text} — {problemText(p.problem)}
                </li>
              ))}
            </ul>
          }
        />
      )}
    </Modal>
  );
}

export default function CaseNewPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { node } = useJurisdiction();
  const [form] = Form.useForm<Values>();
  const onError = useListFormError();
  const rules = useIdentityRules();
  const [pasting, setPasting] = useState(false);
  const parties = Form.useWatch('parties', form);
  const applicants = (parties ?? []).filter((p) => p?.side === 'applicant').length;
  const respondents = (parties ?? []).filter((p) => p?.side === 'respondent').length;
  // The header's place, once known, is where the dispute is received unless another is chosen.
  const nodeId = node?.id;
  useEffect(() => {
    if (nodeId !== undefined && form.getFieldValue('nodeId') === undefined)
      form.setFieldValue('nodeId', nodeId);
  }, [nodeId, form]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const body: CreateCaseInput = {
        nodeId: v.nodeId ?? 0,
        source: v.source,
        disputeType: v.disputeType ?? 'other',
        facts: v.facts.trim(),
        claims: v.claims.trim(),
        amountYuan: v.amountYuan ?? null,
        parties: v.parties.map((p) => ({
          side: p.side,
          kind: p.kind,
          name: (p.name ?? '').trim(),
          idNumber: orNull(p.idNumber),
          phone: orNull(p.phone),
          agent: orNull(p.agent),
        })),
      };
      return createCase(body);
    },
    onSuccess: (c) => {
      void qc.invalidateQueries({ queryKey: mediationKeys.all });
      void message.success(t('mediation.created', { no: c.dossierNo }));
      void navigate(`/mediation/cases/${c.id}`);
    },
    onError: (e) => onError(e, form, FIELDS),
  });

  const addPasted = (people: PartyRow[]) => {
    const rows = (form.getFieldValue('parties') as PartyRow[] | undefined) ?? [];
    // An applicant row left empty gives way to the pasted ones.
    const kept = rows.filter((r) => r.side !== 'applicant' || r.name?.trim());
    const firstRespondent = kept.findIndex((r) => r.side === 'respondent');
    const at = firstRespondent < 0 ? kept.length : firstRespondent;
    form.setFieldValue('parties', [...kept.slice(0, at), ...people, ...kept.slice(at)]);
    void message.success(t('mediation.paste.added', { n: people.length }));
  };

  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('mediation.newCase')}</h1>
      </div>
      <Card>
        <Form<Values>
          form={form}
          layout="vertical"
          data-testid="case-form"
          initialValues={{
            nodeId: node?.id,
            source: 'initiative',
            parties: [blank('applicant'), blank('respondent')],
          }}
          onFinish={(v) => {
            if (
              !v.parties.some((p) => p.side === 'applicant') ||
              !v.parties.some((p) => p.side === 'respondent')
            )
              return void message.error(t('mediation.sidesMissing'));
            save.mutate(v);
          }}
        >
          <Form.Item name="nodeId" label={t('mediation.place')} rules={[{ required: true }]}>
            <LazyNodeTreeSelect data-testid="case-node" valueLabel={node?.name} style={{ width: '100%' }} />
          </Form.Item>
          <div className="linli-med-entry-fields">
            <Form.Item name="source" label={t('mediation.source')} rules={[{ required: true }]}>
              <Select
                data-testid="case-source"
                options={CASE_SOURCES.map((s) => ({ value: s, label: t(`mediation.sourceLabel.${s}`) }))}
              />
            </Form.Item>
            <Form.Item name="disputeType" label={t('mediation.disputeType')} rules={[{ required: true }]}>
              <Select
                data-testid="case-type"
                placeholder={t('mediation.chooseType')}
                options={DISPUTE_TYPES.map((d) => ({ value: d, label: t(`mediation.type.${d}`) }))}
              />
            </Form.Item>
            <Form.Item name="amountYuan" label={t('mediation.amount')}>
              <InputNumber
                data-testid="case-amount"
                min={0}
                max={1e10}
                precision={2}
                style={{ width: '100%' }}
                suffix={t('mediation.yuan')}
              />
            </Form.Item>
          </div>
          <Form.Item
            name="facts"
            label={t('mediation.facts')}
            rules={[{ required: true, whitespace: true, max: MEDIATION_LIMITS.textChars }]}
          >
            <Input.TextArea data-testid="case-facts" autoSize={{ minRows: 3, maxRows: 10 }} />
          </Form.Item>
          <Form.Item
            name="claims"
            label={t('mediation.claims')}
            rules={[{ required: true, whitespace: true, max: MEDIATION_LIMITS.textChars }]}
          >
            <Input.TextArea data-testid="case-claims" autoSize={{ minRows: 2, maxRows: 8 }} />
          </Form.Item>

          <h2 style={{ fontSize: 16, margin: '8px 0' }}>
            {t('mediation.parties')}{' '}
            <Typography.Text type="secondary" style={{ fontSize: 13 }} data-testid="case-party-count">
              {t('mediation.partyCount', { a: applicants, r: respondents })}
            </Typography.Text>
          </h2>
          <Form.List name="parties">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f, i) => (
                  <div key={f.key} className="linli-med-entry" data-testid={`party-row-${i}`}>
                    <div className="linli-med-entry-head">
                      <strong>{t('mediation.partyN', { n: i + 1 })}</strong>
                      <Button
                        type="text"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label={t('mediation.removeParty', { n: i + 1 })}
                        onClick={() => remove(f.name)}
                        disabled={fields.length <= 2}
                      />
                    </div>
                    <div className="linli-med-entry-fields">
                      <Form.Item
                        name={[f.name, 'side']}
                        label={t('mediation.side')}
                        rules={[{ required: true }]}
                      >
                        <Select
                          options={PARTY_SIDES.map((s) => ({
                            value: s,
                            label: t(`mediation.sideLabel.${s}`),
                          }))}
                        />
                      </Form.Item>
                      <Form.Item name={[f.name, 'kind']} label={t('mediation.kind')}>
                        <Select
                          options={PARTY_KINDS.map((k) => ({
                            value: k,
                            label: t(`mediation.kindLabel.${k}`),
                          }))}
                        />
                      </Form.Item>
                      <Form.Item
                        name={[f.name, 'name']}
                        label={t('mediation.partyName')}
                        rules={[{ required: true, whitespace: true, max: MEDIATION_LIMITS.nameChars }]}
                      >
                        <Input data-testid={`party-name-${i}`} maxLength={MEDIATION_LIMITS.nameChars} />
                      </Form.Item>
                      <Form.Item
                        name={[f.name, 'idNumber']}
                        label={t('mediation.idNumber')}
                        rules={[rules.idNumber]}
                      >
                        <Input data-testid={`party-id-${i}`} maxLength={18} autoComplete="off" />
                      </Form.Item>
                      <Form.Item name={[f.name, 'phone']} label={t('mediation.phone')} rules={[rules.phone]}>
                        <Input
                          data-testid={`party-phone-${i}`}
                          maxLength={20}
                          inputMode="tel"
                          autoComplete="off"
                        />
                      </Form.Item>
                      <Form.Item name={[f.name, 'agent']} label={t('mediation.agent')}>
                        <Input maxLength={MEDIATION_LIMITS.nameChars} />
                      </Form.Item>
                    </div>
                  </div>
                ))}
                <Space wrap style={{ marginBottom: 16 }}>
                  <Button
                    onClick={() => add(blank('applicant'))}
                    disabled={fields.length >= MEDIATION_LIMITS.partiesPerCase}
                    data-testid="add-applicant"
                  >
                    {t('mediation.addApplicant')}
                  </Button>
                  <Button
                    onClick={() => add(blank('respondent'))}
                    disabled={fields.length >= MEDIATION_LIMITS.partiesPerCase}
                    data-testid="add-respondent"
                  >
                    {t('mediation.addRespondent')}
                  </Button>
                  <Button onClick={() => setPasting(true)} data-testid="paste-applicants">
                    {t('mediation.paste.open')}
                  </Button>
                </Space>
              </>
            )}
          </Form.List>
          <Button type="primary" htmlType="submit" block loading={save.isPending} data-testid="case-submit">
            {t('mediation.register')}
          </Button>
        </Form>
      </Card>
      {pasting && (
        <PasteModal
          known={(parties ?? []).map((p) => p?.idNumber?.trim().toUpperCase() ?? '').filter(Boolean)}
          onAdd={addPasted}
          onClose={() => setPasting(false)}
        />
      )}
    </div>
  );
}
