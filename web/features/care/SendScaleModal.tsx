// Sending a scale: the person (found by name among those the counsellor may reach, or given by the
// page it is sent from: an observation order, a case), the scale (PHQ-9 unless another is chosen) and
// how long the link lasts; then the link to hand to the person, with a copy button and its expiry.
// Used on /care, a case's page and an observation order's page (lazily, for those who send scales).
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Select, Space, Typography } from 'antd';
import { CopyOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import {
  SCALE_LINK_DEFAULT_HOURS,
  SCALE_LINK_MAX_HOURS,
  scalePageUrl,
  sendScaleLink,
  useCarePeople,
  useCareRefresh,
  useScales,
  type LinkCreated,
} from '../../api/care.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { formatTime, useLabel } from '../../app/format.js';
import { useDebounced } from '../../app/useDebounced.js';
import './care.css';

/** The scale picked first: the depression questionnaire most links are for. */
const DEFAULT_SCALE = 'PHQ-9';
const HOUR_CHOICES = [24, SCALE_LINK_DEFAULT_HOURS, 7 * 24, SCALE_LINK_MAX_HOURS].filter(
  (h, i, all) => all.indexOf(h) === i && h <= SCALE_LINK_MAX_HOURS,
);

/** A person found by name among those the counsellor may reach (GET /api/care/people). */
export function CarePersonPicker({
  id,
  value,
  onChange,
}: {
  /** The form item's (its label points at it). */
  id?: string;
  value?: number;
  onChange?: (v: number | undefined) => void;
}) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const q = useDebounced(typed, 300);
  const found = useCarePeople(q);
  const options = (found.data?.items ?? []).map((p) => ({
    value: p.id,
    label: [
      p.name,
      p.idNumberMasked,
      p.node.name,
      p.caseId !== null ? t('care.onCaseload') : p.inObservation ? t('care.inObservation') : null,
    ]
      .filter(Boolean)
      .join(' · '),
  }));
  return (
    <Select<number>
      id={id}
      showSearch={{ filterOption: false, onSearch: (s) => setTyped(s.slice(0, 40)) }}
      allowClear
      style={{ width: '100%' }}
      value={value}
      onChange={(v) => onChange?.(v ?? undefined)}
      loading={found.isFetching}
      placeholder={t('care.searchPerson')}
      notFoundContent={found.isFetching ? t('common.searching') : t('common.noResults')}
      options={options}
    />
  );
}

/** A link made: the whole address to copy and hand over, and until when it may be opened. */
export function LinkMade({ link, name }: { link: LinkCreated; name?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const url = scalePageUrl(link.url);
  const copy = () => {
    const done = () => void message.success(t('care.copied'));
    const failed = () => {
      // No clipboard (an insecure context, a refusal): the address is selected for the person to copy.
      const input = document.getElementById('care-link-url') as HTMLInputElement | null;
      input?.select();
      void message.info(t('care.copyByHand'));
    };
    if (navigator.clipboard?.writeText) void navigator.clipboard.writeText(url).then(done, failed);
    else failed();
  };
  return (
    <div data-testid="care-link-made">
      <Alert
        type="success"
        showIcon
        title={name ? t('care.linkMadeFor', { name }) : t('care.linkMade')}
        description={t('care.linkExpires', { at: formatTime(link.expiresAt).slice(0, 16) })}
        style={{ marginBottom: 12 }}
      />
      <label htmlFor="care-link-url" className="linli-care-label">
        {t('care.linkLabel')}
      </label>
      <Space.Compact style={{ width: '100%' }}>
        <Input id="care-link-url" readOnly value={url} onFocus={(e) => e.target.select()} />
        <Button type="primary" icon={<CopyOutlined />} onClick={copy}>
          {t('care.copy')}
        </Button>
      </Space.Compact>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        {t('care.linkHelp')}
      </Typography.Paragraph>
    </div>
  );
}

interface Values {
  personId: number;
  scale: string;
  hours: number;
}

/**
 * The dialog: `person` given (an order's, a case's) or picked; the scale and the link's life; then the
 * link made.
 */
export default function SendScaleModal({
  person,
  onClose,
}: {
  person?: { id: number; name: string };
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const label = useLabel();
  const refresh = useCareRefresh();
  const scales = useScales();
  const [form] = Form.useForm<Values>();
  const [made, setMade] = useState<{ link: LinkCreated; name?: string } | null>(null);
  const send = useMutation({
    mutationFn: (v: Values) => sendScaleLink(v.scale, { personId: person?.id ?? v.personId, hours: v.hours }),
    onSuccess: (link) => {
      setMade({ link, name: person?.name });
      refresh();
    },
  });
  const list = scales.data?.items ?? [];
  const initialScale = list.some((s) => s.code === DEFAULT_SCALE) ? DEFAULT_SCALE : list[0]?.code;
  return (
    <Modal
      open
      title={person ? t('care.sendScaleTo', { name: person.name }) : t('care.sendScale')}
      onCancel={onClose}
      destroyOnHidden
      footer={
        made ? (
          <Button onClick={onClose}>{t('common.close')}</Button>
        ) : (
          <>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button
              type="primary"
              loading={send.isPending}
              disabled={!initialScale}
              onClick={() => form.submit()}
            >
              {t('care.makeLink')}
            </Button>
          </>
        )
      }
    >
      {made ? (
        <LinkMade link={made.link} name={made.name} />
      ) : (
        <>
          {scales.isError && <ErrorAlert error={scales.error} style={{ marginBottom: 12 }} />}
          {initialScale && (
            <Form<Values>
              form={form}
              name="care-send"
              layout="vertical"
              initialValues={{ scale: initialScale, hours: SCALE_LINK_DEFAULT_HOURS }}
              onFinish={(v) => send.mutate(v)}
              onValuesChange={() => send.reset()}
            >
              {!person && (
                <Form.Item
                  name="personId"
                  label={t('care.person')}
                  extra={t('care.personHelp')}
                  rules={[{ required: true, message: t('care.personNeeded') }]}
                >
                  <CarePersonPicker />
                </Form.Item>
              )}
              <Form.Item name="scale" label={t('care.scale')} rules={[{ required: true }]}>
                <Select
                  options={list.map((s) => ({ value: s.code, label: label(s.title) }))}
                  style={{ width: '100%' }}
                />
              </Form.Item>
              <Form.Item name="hours" label={t('care.linkHours')} rules={[{ required: true }]}>
                <Select
                  options={HOUR_CHOICES.map((h) => ({
                    value: h,
                    label: h % 24 === 0 ? t('care.days', { count: h / 24 }) : t('care.hours', { count: h }),
                  }))}
                  style={{ width: '100%' }}
                />
              </Form.Item>
            </Form>
          )}
          {send.isError && <ErrorAlert error={send.error} />}
        </>
      )}
    </Modal>
  );
}
