// /care/cases/:id — one person on a counsellor's caseload: who (masked), where, the risk the
// counsellor judges (a select), the next contact date and the status; a form to record a call, message
// or visit (with the next date and the risk); referral and closing, as the case's abilities allow; the
// contacts made; the scales filled, each opening its answers (crisis items marked) with the FHIR
// download; and the links sent to the person, with their state only.
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Form, Input, Modal, Radio, Select, Space, Spin, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  CONTACT_KINDS,
  REFERRAL_KINDS,
  RISK_LEVELS,
  addCareContact,
  closeCareCase,
  referCareCase,
  updateCareCase,
  useCareCase,
  useCareCaseUpdate,
  useScaleLinks,
  type CareRiskLevel,
  type CaseView,
  type ContactKind,
  type ReferralKind,
} from '../../api/care.js';
import { useAuth } from '../../app/auth.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { useLabel } from '../../app/format.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { formatMinute, shanghaiDay } from '../mediation/dates.js';
import { CaseStatusTag, LinkStateTag, RiskTag } from './labels.js';
import { ResponseDrawer } from './ResponseDrawer.js';
import SendScaleModal from './SendScaleModal.js';
import './care.css';

const NOTE_MAX = 2000;
const REFER_NOTE_MAX = 1000;

/** The risk (a select, saved as chosen) and the next contact date (saved with its button). */
function RiskAndNext({ c }: { c: CaseView }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const done = useCareCaseUpdate(c.id);
  const onError = useFormErrorHandler();
  const [next, setNext] = useState(c.nextContactOn ?? '');
  useEffect(() => setNext(c.nextContactOn ?? ''), [c.nextContactOn]);
  const save = useMutation({
    mutationFn: (body: { risk?: CareRiskLevel; nextContactOn?: string | null }) => updateCareCase(c.id, body),
    onSuccess: (v) => {
      done(v);
      void message.success(t('common.saved'));
    },
    onError: (e) => onError(e),
  });
  const editable = c.abilities.update;
  return (
    <Descriptions column={1} size="small" className="linli-care-desc">
      <Descriptions.Item label={<label htmlFor="care-case-risk">{t('care.riskLabel')}</label>}>
        {editable ? (
          <Select<CareRiskLevel>
            id="care-case-risk"
            value={c.risk}
            style={{ minWidth: 160 }}
            disabled={save.isPending}
            onChange={(risk) => save.mutate({ risk })}
            options={RISK_LEVELS.map((r) => ({ value: r, label: t(`care.risk.${r}`) }))}
          />
        ) : (
          <RiskTag risk={c.risk} />
        )}
      </Descriptions.Item>
      <Descriptions.Item label={<label htmlFor="care-case-next">{t('care.nextContact')}</label>}>
        {editable ? (
          <div className="linli-care-inline">
            <Input
              id="care-case-next"
              type="date"
              value={next}
              min={shanghaiDay()}
              onChange={(e) => setNext(e.target.value)}
              style={{ maxWidth: 200 }}
            />
            <Button
              disabled={next === (c.nextContactOn ?? '')}
              loading={save.isPending}
              onClick={() => save.mutate({ nextContactOn: next || null })}
            >
              {t('care.saveDate')}
            </Button>
          </div>
        ) : (
          (c.nextContactOn ?? '—')
        )}
      </Descriptions.Item>
    </Descriptions>
  );
}

interface ContactValues {
  kind: ContactKind;
  note: string;
  nextContactOn?: string;
  risk?: CareRiskLevel;
}

function ContactForm({ c }: { c: CaseView }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const done = useCareCaseUpdate(c.id);
  const onError = useFormErrorHandler();
  const [form] = Form.useForm<ContactValues>();
  const save = useMutation({
    mutationFn: (v: ContactValues) =>
      addCareContact(c.id, {
        kind: v.kind,
        note: v.note.trim(),
        ...(v.nextContactOn ? { nextContactOn: v.nextContactOn } : {}),
        ...(v.risk ? { risk: v.risk } : {}),
      }),
    onSuccess: (v) => {
      done(v);
      void message.success(t('care.contactRecorded'));
      form.resetFields();
    },
    onError: (e) => onError(e, form, ['kind', 'note', 'nextContactOn', 'risk']),
  });
  return (
    <Form<ContactValues>
      form={form}
      name="care-contact"
      layout="vertical"
      initialValues={{ kind: 'call' }}
      onFinish={(v) => save.mutate(v)}
      aria-label={t('care.recordContact')}
    >
      <Form.Item name="kind" label={t('care.contactKind')} rules={[{ required: true }]}>
        <Radio.Group className="linli-care-choices">
          {CONTACT_KINDS.map((k) => (
            <Radio.Button key={k} value={k}>
              {t(`care.contactKinds.${k}`)}
            </Radio.Button>
          ))}
        </Radio.Group>
      </Form.Item>
      <Form.Item
        name="note"
        label={t('care.contactNote')}
        rules={[{ required: true, whitespace: true, message: t('care.noteNeeded') }, { max: NOTE_MAX }]}
      >
        <Input.TextArea rows={3} maxLength={NOTE_MAX} />
      </Form.Item>
      <div className="linli-care-two">
        <Form.Item name="nextContactOn" label={t('care.nextContact')}>
          <Input type="date" min={shanghaiDay()} />
        </Form.Item>
        <Form.Item name="risk" label={t('care.riskNow')}>
          <Select<CareRiskLevel>
            allowClear
            placeholder={t('care.riskUnchanged')}
            options={RISK_LEVELS.map((r) => ({ value: r, label: t(`care.risk.${r}`) }))}
          />
        </Form.Item>
      </div>
      <Button type="primary" htmlType="submit" block loading={save.isPending}>
        {t('care.saveContact')}
      </Button>
    </Form>
  );
}

/** Refer and close, each in its dialog; sending a scale to the person. */
function Steps({ c }: { c: CaseView }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const done = useCareCaseUpdate(c.id);
  const onError = useFormErrorHandler();
  const [open, setOpen] = useState<'refer' | 'close' | 'send' | null>(null);
  const [referForm] = Form.useForm<{ kind: ReferralKind; note: string }>();
  const [closeForm] = Form.useForm<{ note: string }>();
  const refer = useMutation({
    mutationFn: (v: { kind: ReferralKind; note: string }) =>
      referCareCase(c.id, { kind: v.kind, note: v.note.trim() }),
    onSuccess: (v) => {
      done(v);
      setOpen(null);
      void message.success(t('care.referred'));
    },
    onError: (e) => onError(e, referForm, ['kind', 'note']),
  });
  const close = useMutation({
    mutationFn: (v: { note: string }) => closeCareCase(c.id, { note: v.note.trim() }),
    onSuccess: (v) => {
      done(v);
      setOpen(null);
      void message.success(t('care.closed'));
    },
    onError: (e) => onError(e, closeForm, ['note']),
  });
  const sends = c.abilities.sendScale && can('scales.send');
  if (!sends && !c.abilities.refer && !c.abilities.close) return null;
  return (
    <div className="linli-care-actions">
      {sends && (
        <Button type="primary" onClick={() => setOpen('send')}>
          {t('care.sendScale')}
        </Button>
      )}
      {c.abilities.refer && <Button onClick={() => setOpen('refer')}>{t('care.refer')}</Button>}
      {c.abilities.close && (
        <Button danger onClick={() => setOpen('close')}>
          {t('care.close')}
        </Button>
      )}
      {open === 'send' && (
        <SendScaleModal person={{ id: c.person.id, name: c.person.name }} onClose={() => setOpen(null)} />
      )}
      <Modal
        open={open === 'refer'}
        title={t('care.referTitle', { name: c.person.name })}
        okText={t('care.refer')}
        cancelText={t('common.cancel')}
        confirmLoading={refer.isPending}
        onCancel={() => setOpen(null)}
        onOk={() => referForm.submit()}
        destroyOnHidden
      >
        <Form form={referForm} name="care-refer" layout="vertical" onFinish={(v) => refer.mutate(v)}>
          <Form.Item name="kind" label={t('care.referTo')} rules={[{ required: true }]}>
            <Radio.Group className="linli-care-choices is-stacked">
              {REFERRAL_KINDS.map((k) => (
                <Radio.Button key={k} value={k}>
                  {t(`care.referral.${k}`)}
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>
          <Form.Item
            name="note"
            label={t('care.referNote')}
            rules={[{ required: true, whitespace: true, message: t('care.noteNeeded') }]}
          >
            <Input.TextArea rows={3} maxLength={REFER_NOTE_MAX} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={open === 'close'}
        title={t('care.closeTitle', { name: c.person.name })}
        okText={t('care.close')}
        okButtonProps={{ danger: true }}
        cancelText={t('common.cancel')}
        confirmLoading={close.isPending}
        onCancel={() => setOpen(null)}
        onOk={() => closeForm.submit()}
        destroyOnHidden
      >
        <Form form={closeForm} name="care-close" layout="vertical" onFinish={(v) => close.mutate(v)}>
          <Form.Item
            name="note"
            label={t('care.closeNote')}
            rules={[{ required: true, whitespace: true, message: t('care.noteNeeded') }]}
          >
            <Input.TextArea rows={3} maxLength={REFER_NOTE_MAX} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}

/** The links sent to the person: their state only (never the answers). */
function LinksSent({ personId }: { personId: number }) {
  const { t } = useTranslation();
  const links = useScaleLinks(personId);
  const items = links.data?.items ?? [];
  if (links.isError || items.length === 0) return null;
  return (
    <Card size="small" title={t('care.linksTitle')}>
      <ul className="linli-care-list">
        {items.map((l) => (
          <li key={l.id}>
            <strong>{l.scale}</strong>
            <LinkStateTag state={l.state} />
            <span className="linli-muted">
              {t('care.linkSent', { name: l.sentBy.name, at: formatMinute(l.sentAt) })}
            </span>
            <span className="linli-muted">
              {l.submittedAt
                ? t('care.linkSubmitted', { at: formatMinute(l.submittedAt) })
                : t('care.linkUntil', { at: formatMinute(l.expiresAt) })}
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

export default function CareCasePage() {
  const { t } = useTranslation();
  const label = useLabel();
  const navigate = useNavigate();
  const { can } = useAuth();
  const { id } = useParams();
  const caseId = /^\d+$/.test(id ?? '') ? Number(id) : undefined;
  const q = useCareCase(caseId);
  const c = q.data;
  const [reading, setReading] = useState<number | null>(null);
  return (
    <div className="linli-care-case">
      <div className="linli-page-title">
        <h1>{c ? t('care.caseTitle', { name: c.person.name }) : t('care.caseTitleBare')}</h1>
        <Button onClick={() => void navigate('/care')}>{t('care.backHome')}</Button>
      </div>
      {q.isError && <ErrorAlert error={q.error} />}
      {q.isLoading && <Spin />}
      {c && (
        <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="care-case">
          <Card size="small">
            <Descriptions column={{ xs: 1, md: 2 }} size="small" className="linli-care-desc">
              <Descriptions.Item label={t('care.person')}>
                {[c.person.name, c.person.idNumberMasked, c.person.phoneMasked].filter(Boolean).join(' · ')}
              </Descriptions.Item>
              <Descriptions.Item label={t('care.place')}>{c.node.name}</Descriptions.Item>
              <Descriptions.Item label={t('care.status')}>
                <CaseStatusTag status={c.status} />
                {c.openAlerts > 0 && <Tag color="red">{t('care.openAlerts', { count: c.openAlerts })}</Tag>}
              </Descriptions.Item>
              <Descriptions.Item label={t('care.counsellor')}>{c.counsellor.name}</Descriptions.Item>
              <Descriptions.Item label={t('care.openedAt')}>{formatMinute(c.openedAt)}</Descriptions.Item>
              <Descriptions.Item label={t('care.lastContactLabel')}>
                {c.lastContactAt ? formatMinute(c.lastContactAt) : t('care.noContactYet')}
              </Descriptions.Item>
              {c.referral && (
                <Descriptions.Item label={t('care.referralLabel')}>
                  {t(`care.referral.${c.referral.kind}`)} · {formatMinute(c.referral.at)}
                  <div className="linli-care-pre">{c.referral.note}</div>
                </Descriptions.Item>
              )}
              {c.closedAt && (
                <Descriptions.Item label={t('care.closedAt')}>{formatMinute(c.closedAt)}</Descriptions.Item>
              )}
            </Descriptions>
            <RiskAndNext c={c} />
            <Steps c={c} />
          </Card>
          {c.abilities.contact && (
            <Card size="small" title={t('care.recordContact')}>
              <ContactForm c={c} />
            </Card>
          )}
          <Card size="small" title={t('care.contactsTitle')}>
            {c.contacts.length === 0 ? (
              <p className="linli-muted linli-care-empty">{t('care.noContacts')}</p>
            ) : (
              <ul className="linli-care-list" data-testid="care-contacts">
                {c.contacts.map((x) => (
                  <li key={x.id}>
                    <Tag>{t(`care.contactKinds.${x.kind}`)}</Tag>
                    <span>{formatMinute(x.at)}</span>
                    <span className="linli-muted">{x.by.name}</span>
                    <div className="linli-care-pre">{x.note}</div>
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card size="small" title={t('care.responsesTitle')}>
            {c.responses.length === 0 ? (
              <p className="linli-muted linli-care-empty">{t('care.noResponses')}</p>
            ) : (
              <ul className="linli-care-list" data-testid="care-responses">
                {c.responses.map((r) => (
                  <li key={r.id}>
                    <strong>{r.scale}</strong>
                    <span>{t('care.totalBand', { total: r.total, band: label(r.band.label) })}</span>
                    {r.crisis && <Tag color="red">{t('care.crisisFlag')}</Tag>}
                    <span className="linli-muted">{formatMinute(r.submittedAt)}</span>
                    <Button
                      onClick={() => setReading(r.id)}
                      aria-label={t('care.readAnswersOf', {
                        scale: r.scale,
                        at: formatMinute(r.submittedAt),
                      })}
                    >
                      {t('care.readAnswers')}
                    </Button>
                  </li>
                ))}
              </ul>
            )}
          </Card>
          {can('scales.send') && <LinksSent personId={c.person.id} />}
        </Space>
      )}
      <ResponseDrawer id={reading} onClose={() => setReading(null)} />
    </div>
  );
}
