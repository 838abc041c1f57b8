// The agreement (Art. 29): drafted by the mediator (facts, disputed points, each obligation: who, what,
// how much, how, by when), generated as a PDF whose content hash is printed on every page, then signed
// by every party (through a one-time link, or at a micro-court point with the ID card checked on site)
// and the mediator; in effect once the last has signed. Within 30 days the parties may apply jointly
// for judicial confirmation; matters a court cannot confirm are warned about.
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Progress,
  Select,
  Tag,
  Typography,
} from 'antd';
import { DeleteOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import {
  agreementPdfUrl,
  applyConfirmation,
  assistedSign,
  draftAgreement,
  newSignLinks,
  reviseAgreement,
  signAsMediator,
  signPageUrl,
  useCaseUpdate,
  useMediationOrgs,
  type AgreementView,
  type CaseView,
  type DraftAgreementInput,
  type PartyLink,
} from '../../api/mediation.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { ResponsiveTable } from '../../app/components/ResponsiveTable.js';
import {
  CONFIRMATION_MATERIALS,
  CONFIRMATION_WINDOW_DAYS,
  MEDIATION_LIMITS,
  UNCONFIRMABLE,
  type DisputeType,
} from '../../../common/contracts/mediation-codes.js';
import { daysUntil, formatMinute, shanghaiDay } from './dates.js';
import { useListFormError } from './forms.js';
import { LinkList } from './CaseParties.js';
import { AgreementStateTag, ConfirmationStateTag } from './labels.js';

type Matter = (typeof UNCONFIRMABLE)[number];
type Material = (typeof CONFIRMATION_MATERIALS)[number];

/** Matters the server warns about by the dispute's type, whatever the mediator ticks. */
function warnedByType(type: DisputeType): Matter[] {
  if (type === 'marriage_family') return ['personal_status'];
  if (type === 'land_housing') return ['property_ownership'];
  return [];
}

interface ObligationRow {
  partyId?: number;
  what?: string;
  amountYuan?: number | null;
  manner?: string;
  deadline?: string;
}
interface DraftValues {
  facts: string;
  disputedPoints: string;
  obligations: ObligationRow[];
  otherTerms?: string;
}

function DraftForm({ c }: { c: CaseView }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<DraftValues>();
  const onError = useListFormError();
  const update = useCaseUpdate(c.id);
  const save = useMutation({
    mutationFn: (v: DraftValues) => {
      const body: DraftAgreementInput = {
        facts: v.facts.trim(),
        disputedPoints: v.disputedPoints.trim(),
        obligations: v.obligations.map((o) => ({
          partyId: o.partyId ?? 0,
          what: (o.what ?? '').trim(),
          amountYuan: o.amountYuan ?? null,
          manner: (o.manner ?? '').trim(),
          deadline: o.deadline ?? '',
        })),
        otherTerms: v.otherTerms?.trim() ? v.otherTerms.trim() : null,
      };
      return draftAgreement(c.id, body);
    },
    // The answer is the new agreement: the case (now signing) is refetched with it.
    onSuccess: () => update(),
    onError: (e) => onError(e, form, ['facts', 'disputedPoints', 'obligations', 'otherTerms']),
  });
  const respondents = c.parties.filter((p) => p.side === 'respondent');
  const partyOptions = c.parties.map((p) => ({
    value: p.id,
    label: `${p.name} · ${t(`mediation.sideLabel.${p.side}`)}`,
  }));
  const text = { required: true, whitespace: true, max: MEDIATION_LIMITS.textChars };
  return (
    <Form<DraftValues>
      form={form}
      layout="vertical"
      data-testid="agreement-form"
      initialValues={{
        facts: c.facts,
        obligations: [{ partyId: respondents.length === 1 ? respondents[0]?.id : undefined }],
      }}
      onFinish={(v) => save.mutate(v)}
    >
      <Form.Item name="facts" label={t('mediation.agreementFacts')} rules={[text]}>
        <Input.TextArea data-testid="agreement-facts" autoSize={{ minRows: 3, maxRows: 10 }} />
      </Form.Item>
      <Form.Item name="disputedPoints" label={t('mediation.disputedPoints')} rules={[text]}>
        <Input.TextArea data-testid="agreement-points" autoSize={{ minRows: 2, maxRows: 8 }} />
      </Form.Item>
      <h3 style={{ fontSize: 15, margin: '4px 0 8px' }}>{t('mediation.obligations')}</h3>
      <Form.List name="obligations">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => (
              <div key={f.key} className="linli-med-entry" data-testid={`obligation-${i}`}>
                <div className="linli-med-entry-head">
                  <strong>{t('mediation.obligationN', { n: i + 1 })}</strong>
                  <Button
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={t('mediation.removeObligation', { n: i + 1 })}
                    disabled={fields.length <= 1}
                    onClick={() => remove(f.name)}
                  />
                </div>
                <div className="linli-med-entry-fields">
                  <Form.Item
                    name={[f.name, 'partyId']}
                    label={t('mediation.obliged')}
                    rules={[{ required: true }]}
                  >
                    <Select
                      data-testid={`obligation-party-${i}`}
                      options={partyOptions}
                      showSearch={{ optionFilterProp: 'label' }}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'what']}
                    label={t('mediation.obligationWhat')}
                    rules={[{ required: true, whitespace: true, max: 500 }]}
                  >
                    <Input data-testid={`obligation-what-${i}`} maxLength={500} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'amountYuan']} label={t('mediation.amount')}>
                    <InputNumber
                      min={0}
                      max={1e10}
                      precision={2}
                      style={{ width: '100%' }}
                      suffix={t('mediation.yuan')}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'manner']}
                    label={t('mediation.manner')}
                    rules={[{ required: true, whitespace: true, max: 200 }]}
                  >
                    <Input
                      data-testid={`obligation-manner-${i}`}
                      maxLength={200}
                      placeholder={t('mediation.mannerHint')}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'deadline']}
                    label={t('mediation.deadline')}
                    rules={[{ required: true }]}
                  >
                    <Input type="date" data-testid={`obligation-deadline-${i}`} />
                  </Form.Item>
                </div>
              </div>
            ))}
            <Button
              onClick={() => add({})}
              disabled={fields.length >= MEDIATION_LIMITS.obligations}
              style={{ marginBottom: 16 }}
              data-testid="obligation-add"
            >
              {t('mediation.addObligation')}
            </Button>
          </>
        )}
      </Form.List>
      <Form.Item
        name="otherTerms"
        label={t('mediation.otherTerms')}
        rules={[{ max: MEDIATION_LIMITS.textChars }]}
      >
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={save.isPending} block data-testid="agreement-draft">
        {t('mediation.draft')}
      </Button>
    </Form>
  );
}

/** Signing: the links for the parties, the mediator's own signature, a party's signature at a point. */
function Signing({ c, a }: { c: CaseView; a: AgreementView }) {
  const { t } = useTranslation();
  const onError = useFormErrorHandler();
  const update = useCaseUpdate(c.id);
  const [links, setLinks] = useState<PartyLink[] | null>(null);
  const [assistParty, setAssistParty] = useState<number | undefined>();
  const [idChecked, setIdChecked] = useState(false);
  const done = () => update();
  const makeLinks = useMutation({
    mutationFn: () => newSignLinks(a.id),
    onSuccess: (r) => setLinks(r.items),
    onError: (e) => onError(e),
  });
  const sign = useMutation({
    mutationFn: () => signAsMediator(a.id),
    onSuccess: done,
    onError: (e) => onError(e),
  });
  const assist = useMutation({
    mutationFn: (partyId: number) => assistedSign(a.id, partyId),
    onSuccess: () => {
      setAssistParty(undefined);
      setIdChecked(false);
      done();
    },
    onError: (e) => onError(e),
  });
  const revise = useMutation({
    mutationFn: () => reviseAgreement(c.id),
    onSuccess: (v) => update(v),
    onError: (e) => onError(e),
  });
  const unsigned = a.signatures.filter((s) => s.partyId !== null && !s.signedAt);
  return (
    <>
      <div className="linli-med-actions" style={{ margin: '8px 0' }}>
        {a.abilities.links && (
          <Popconfirm title={t('mediation.signLinksConfirm')} onConfirm={() => makeLinks.mutate()}>
            <Button loading={makeLinks.isPending} data-testid="sign-links">
              {t('mediation.signLinks')}
            </Button>
          </Popconfirm>
        )}
        {a.abilities.sign && (
          <Popconfirm title={t('mediation.mediatorSignConfirm')} onConfirm={() => sign.mutate()}>
            <Button type="primary" loading={sign.isPending} data-testid="mediator-sign">
              {t('mediation.mediatorSign')}
            </Button>
          </Popconfirm>
        )}
        {c.abilities.revise && (
          <Popconfirm title={t('mediation.reviseConfirm')} onConfirm={() => revise.mutate()}>
            <Button danger loading={revise.isPending} data-testid="agreement-revise">
              {t('mediation.revise')}
            </Button>
          </Popconfirm>
        )}
      </div>
      {a.abilities.assist && unsigned.length > 0 && (
        <div className="linli-med-entry" data-testid="assisted-sign">
          <div className="linli-med-entry-head">
            <strong>{t('mediation.assistTitle')}</strong>
          </div>
          <p className="linli-muted" style={{ marginTop: 0 }}>
            {t('mediation.assistHint')}
          </p>
          <Select<number>
            value={assistParty}
            onChange={setAssistParty}
            placeholder={t('mediation.assistParty')}
            aria-label={t('mediation.assistParty')}
            style={{ width: '100%', marginBottom: 8 }}
            showSearch={{ optionFilterProp: 'label' }}
            data-testid="assist-party"
            options={unsigned.map((s) => ({ value: s.partyId ?? 0, label: s.name }))}
          />
          <Checkbox
            className="linli-med-check"
            checked={idChecked}
            onChange={(e) => setIdChecked(e.target.checked)}
            data-testid="assist-id-checked"
          >
            {t('mediation.idCheckedOnSite')}
          </Checkbox>
          <div style={{ margin: '8px 0 12px' }}>
            <Button
              type="primary"
              disabled={assistParty === undefined || !idChecked}
              loading={assist.isPending}
              onClick={() => assistParty !== undefined && assist.mutate(assistParty)}
              data-testid="assist-sign"
            >
              {t('mediation.assistSign')}
            </Button>
          </div>
        </div>
      )}
      <Modal
        open={links !== null}
        title={t('mediation.signLinks')}
        onCancel={() => setLinks(null)}
        footer={<Button onClick={() => setLinks(null)}>{t('common.close')}</Button>}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('mediation.signLinksHint')}</Typography.Paragraph>
        {links && links.length === 0 && <p>{t('mediation.allSigned')}</p>}
        {links && <LinkList links={links} url={signPageUrl} testId="sign-link" />}
      </Modal>
    </>
  );
}

interface ApplyValues {
  courtId?: number;
  materials: Material[];
  matters: Matter[];
}

/** The joint application for judicial confirmation, with the warnings a court would give. */
function ApplyForm({ c, a }: { c: CaseView; a: AgreementView }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ApplyValues>();
  const onError = useListFormError();
  const update = useCaseUpdate(c.id);
  const courts = useMediationOrgs('court');
  const matters = Form.useWatch('matters', form) ?? [];
  const warned = [...new Set([...warnedByType(c.disputeType), ...matters])];
  const apply = useMutation({
    mutationFn: (v: ApplyValues) =>
      applyConfirmation(a.id, { courtId: v.courtId ?? 0, materials: v.materials, matters: v.matters }),
    onSuccess: () => update(),
    onError: (e) => onError(e, form, ['courtId', 'materials', 'matters']),
  });
  return (
    <Form<ApplyValues>
      form={form}
      layout="vertical"
      data-testid="apply-form"
      initialValues={{ materials: ['application_form', 'agreement', 'identity_documents'], matters: [] }}
      onFinish={(v) => apply.mutate(v)}
    >
      <Form.Item name="courtId" label={t('mediation.court')} rules={[{ required: true }]}>
        <Select
          data-testid="apply-court"
          loading={courts.isLoading}
          options={(courts.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
        />
      </Form.Item>
      <Form.Item
        name="materials"
        label={t('mediation.materials')}
        rules={[{ required: true, type: 'array', min: 1 }]}
      >
        <Checkbox.Group className="linli-med-checks" data-testid="apply-materials">
          {CONFIRMATION_MATERIALS.map((m) => (
            <Checkbox key={m} value={m}>
              {t(`mediation.material.${m}`)}
            </Checkbox>
          ))}
        </Checkbox.Group>
      </Form.Item>
      <Form.Item name="matters" label={t('mediation.matters')} extra={t('mediation.mattersHint')}>
        <Checkbox.Group className="linli-med-checks" data-testid="apply-matters">
          {UNCONFIRMABLE.map((m) => (
            <Checkbox key={m} value={m}>
              {t(`mediation.matter.${m}`)}
            </Checkbox>
          ))}
        </Checkbox.Group>
      </Form.Item>
      {warned.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="apply-warnings"
          title={t('mediation.warningsTitle')}
          description={warned.map((m) => t(`mediation.matter.${m}`)).join('、')}
        />
      )}
      <Button type="primary" htmlType="submit" loading={apply.isPending} data-testid="apply-submit">
        {t('mediation.apply')}
      </Button>
    </Form>
  );
}

/** What became of an application: court, state, dates, warnings, ruling. */
export function ConfirmationSummary({ f }: { f: NonNullable<AgreementView['confirmation']> }) {
  const { t } = useTranslation();
  return (
    <Descriptions column={1} size="small" data-testid="confirmation-summary">
      <Descriptions.Item label={t('mediation.court')}>{f.court.name}</Descriptions.Item>
      <Descriptions.Item label={t('mediation.statusLabel')}>
        <ConfirmationStateTag status={f.status} />
      </Descriptions.Item>
      <Descriptions.Item label={t('mediation.submittedAt')}>{formatMinute(f.submittedAt)}</Descriptions.Item>
      <Descriptions.Item label={t('mediation.acceptBy')}>{f.acceptBy}</Descriptions.Item>
      {f.warnings.length > 0 && (
        <Descriptions.Item label={t('mediation.warnings')}>
          {f.warnings.map((w) => (
            <Tag key={w} color="orange">
              {t(`mediation.matter.${w}`)}
            </Tag>
          ))}
        </Descriptions.Item>
      )}
      {f.ruling && (
        <Descriptions.Item label={t('mediation.ruling')}>
          <span className="linli-med-pre">{f.ruling}</span>
        </Descriptions.Item>
      )}
      {f.decidedAt && (
        <Descriptions.Item label={t('mediation.decidedAt')}>{formatMinute(f.decidedAt)}</Descriptions.Item>
      )}
    </Descriptions>
  );
}

/** The 30 days to apply for confirmation: the last day and the days left. */
function Countdown({ confirmBy }: { confirmBy: string }) {
  const { t } = useTranslation();
  const left = daysUntil(confirmBy, shanghaiDay());
  return (
    <p data-testid="confirm-countdown" style={{ margin: '8px 0' }}>
      {t('mediation.confirmBy', { date: confirmBy, days: CONFIRMATION_WINDOW_DAYS })}{' '}
      <Tag color={left < 0 ? 'default' : left <= 5 ? 'red' : 'blue'}>
        {left < 0 ? t('mediation.windowClosed') : t('mediation.daysLeft', { n: left })}
      </Tag>
    </p>
  );
}

export function AgreementCard({ c }: { c: CaseView }) {
  const { t } = useTranslation();
  const a = c.agreement;
  if (!a && !c.abilities.draft) return null;
  return (
    <Card size="small" title={t('mediation.agreement')} id="agreement" data-testid="case-agreement">
      {!a && <DraftForm c={c} />}
      {a && (
        <>
          <div className="linli-med-actions" style={{ alignItems: 'center' }}>
            <AgreementStateTag status={a.status} />
            <a
              href={agreementPdfUrl(a.id)}
              target="_blank"
              rel="noopener noreferrer"
              className="linli-link-button"
              data-testid="agreement-pdf"
            >
              {t('mediation.pdf')}
            </a>
          </div>
          <p className="linli-med-hash" data-testid="agreement-sha" style={{ margin: '8px 0' }}>
            {t('mediation.contentSha')} {a.sha256}
          </p>
          <Progress
            percent={a.toSign ? Math.floor((a.signed / a.toSign) * 100) : 0}
            format={() => `${a.signed}/${a.toSign}`}
            aria-label={t('mediation.signedProgress')}
            data-testid="agreement-progress"
          />
          {a.status === 'signing' && <Signing c={c} a={a} />}
          {a.status === 'in_effect' && a.effectiveAt && (
            <p style={{ margin: '8px 0 0' }}>
              {t('mediation.effectiveAt', { at: formatMinute(a.effectiveAt) })}
            </p>
          )}
          {a.status === 'in_effect' && a.confirmBy && !a.confirmation && (
            <Countdown confirmBy={a.confirmBy} />
          )}
          <details style={{ margin: '8px 0' }}>
            <summary>{t('mediation.signaturesN', { signed: a.signed, n: a.toSign })}</summary>
            <ul className="linli-med-rows" data-testid="agreement-signatures">
              {a.signatures.map((s, i) => (
                <li key={`${s.partyId ?? 'm'}-${i}`}>
                  <span className="linli-med-grow">
                    {s.name} {s.partyId === null && <Tag>{t('mediation.mediator')}</Tag>}
                  </span>
                  {s.signedAt ? (
                    <Tag color="green">
                      {t('mediation.signedAt', { at: formatMinute(s.signedAt) })}
                      {s.method && ` · ${t(`mediation.signMethod.${s.method}`)}`}
                    </Tag>
                  ) : (
                    <Tag>{t('mediation.notSigned')}</Tag>
                  )}
                </li>
              ))}
            </ul>
          </details>
          <ResponsiveTable
            size="small"
            rowKey={(_, i) => String(i)}
            dataSource={a.obligations}
            pagination={a.obligations.length > 10 ? { pageSize: 10 } : false}
            columns={[
              { key: 'what', title: t('mediation.obligationWhat'), dataIndex: 'what' },
              { key: 'party', title: t('mediation.obliged'), dataIndex: 'party' },
              {
                key: 'amount',
                title: t('mediation.amount'),
                render: (_: unknown, o: AgreementView['obligations'][number]) =>
                  o.amountYuan === null ? '—' : t('mediation.yuanN', { n: o.amountYuan.toLocaleString() }),
              },
              { key: 'manner', title: t('mediation.manner'), dataIndex: 'manner' },
              { key: 'deadline', title: t('mediation.deadline'), dataIndex: 'deadline' },
            ]}
          />
          {a.confirmation && (
            <>
              <h3 style={{ fontSize: 15, margin: '12px 0 4px' }}>{t('mediation.confirmation')}</h3>
              <ConfirmationSummary f={a.confirmation} />
            </>
          )}
          {a.abilities.apply && (
            <>
              <h3 style={{ fontSize: 15, margin: '12px 0 4px' }}>{t('mediation.applyTitle')}</h3>
              <ApplyForm c={c} a={a} />
            </>
          )}
        </>
      )}
    </Card>
  );
}
