// /report — a resident reports a problem without signing in: category, what, where (a click on the
// map, or ?lat=&lng= from a QR code), and optionally a name and phone for a call back. Answers a tracking code.
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Cascader, Form, Input, Result, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  categoryTree,
  submitPublicReport,
  usePublicCategories,
  type PublicReportInput,
} from '../../api/events.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { useLabel } from '../../app/format.js';
import { LangSwitch } from '../../app/components/LangSwitch.js';
import { ExtraFields } from '../events/ExtraFields.js';
import { PointMap } from '../events/PointMap.js';
import { PhotoPicker } from '../events/PhotoPicker.js';

interface Values {
  category?: number[];
  description: string;
  address?: string;
  name?: string;
  phone?: string;
  attributes?: Record<string, string | number>;
  photos?: string[];
}

export default function PublicReportPage() {
  const { t } = useTranslation();
  const label = useLabel();
  const [form] = Form.useForm<Values>();
  const onError = useFormErrorHandler();
  const categories = usePublicCategories();
  // A notice-board QR code can carry the place: /report?lat=30.23&lng=119.72.
  const [params] = useSearchParams();
  const [point, setPoint] = useState<{ lat: number; lng: number } | null>(() => {
    const lat = Number(params.get('lat'));
    const lng = Number(params.get('lng'));
    return params.has('lat') && params.has('lng') && Math.abs(lat) <= 90 && Math.abs(lng) <= 180
      ? { lat, lng }
      : null;
  });
  const [code, setCode] = useState<string | null>(null);
  const [photosBusy, setPhotosBusy] = useState(false);
  const chosen = Form.useWatch('category', form);
  const category = categories.data?.items.find((c) => c.id === chosen?.at(-1));

  const submit = useMutation({
    mutationFn: (v: Values) => {
      const body: PublicReportInput = {
        categoryId: v.category?.at(-1) ?? 0,
        description: v.description,
        ...(point ?? {}),
        ...(v.address ? { address: v.address } : {}),
        ...(v.name ? { name: v.name } : {}),
        ...(v.phone ? { phone: v.phone } : {}),
        attributes: Object.fromEntries(
          Object.entries(v.attributes ?? {}).filter(([, x]) => x !== undefined && x !== null && x !== ''),
        ),
        ...(v.photos?.length ? { photos: v.photos } : {}),
      };
      return submitPublicReport(body);
    },
    onSuccess: (r) => setCode(r.trackingCode),
    onError: (e) =>
      onError(e, form, [
        'categoryId',
        'description',
        'address',
        'name',
        'phone',
        'photos',
        'lat',
        'lng',
        'nodeId',
      ]),
  });

  return (
    <div className="linli-public">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('public.reportTitle')}
        </Typography.Title>
        <LangSwitch />
      </Space>
      {code ? (
        <Result
          status="success"
          title={t('public.thanks')}
          subTitle={
            <span>
              {t('public.yourCode')}{' '}
              <Typography.Text strong copyable className="linli-mono" data-testid="public-tracking-code">
                {code}
              </Typography.Text>
            </span>
          }
          extra={
            <Link to={`/track/${code}`} data-testid="public-track-link">
              <Button type="primary">{t('public.trackIt')}</Button>
            </Link>
          }
        />
      ) : (
        <Card>
          <Form<Values>
            form={form}
            layout="vertical"
            onFinish={(v) => submit.mutate(v)}
            data-testid="public-report-form"
          >
            <Form.Item
              name="category"
              label={t('events.category')}
              rules={[{ required: true, message: t('events.chooseCategory') }]}
            >
              <Cascader
                data-testid="public-category"
                options={categoryTree(categories.data?.items ?? [], (c) =>
                  label({ zh: c.nameZh, en: c.nameEn }),
                )}
                placeholder={t('events.chooseCategory')}
              />
            </Form.Item>
            <Form.Item
              name="description"
              label={t('public.whatHappened')}
              rules={[{ required: true, max: 2000 }]}
            >
              <Input.TextArea data-testid="public-description" rows={4} maxLength={2000} />
            </Form.Item>
            <Form.Item
              label={t('public.where')}
              required
              extra={point ? `${point.lat}, ${point.lng}` : t('public.clickMap')}
            >
              <PointMap
                lat={point?.lat}
                lng={point?.lng}
                onPick={(lat, lng) => setPoint({ lat, lng })}
                testId="public-map"
              />
            </Form.Item>
            {!point && (
              <Alert type="info" showIcon message={t('public.pointNeeded')} style={{ marginBottom: 12 }} />
            )}
            <Form.Item name="address" label={t('events.address')}>
              <Input maxLength={200} />
            </Form.Item>
            {category && <ExtraFields fields={category.extraFields} />}
            <Form.Item name="photos" label={t('events.photos')}>
              <PhotoPicker resident testId="public-photos" onBusyChange={setPhotosBusy} />
            </Form.Item>
            <Space wrap>
              <Form.Item name="name" label={t('public.name')}>
                <Input maxLength={50} />
              </Form.Item>
              <Form.Item name="phone" label={t('public.phone')} extra={t('public.phoneHelp')}>
                <Input maxLength={20} data-testid="public-phone" />
              </Form.Item>
            </Space>
            <Button
              type="primary"
              htmlType="submit"
              loading={submit.isPending}
              disabled={!point || photosBusy}
              data-testid="public-submit"
              block
            >
              {t('events.submit')}
            </Button>
          </Form>
        </Card>
      )}
      <Typography.Paragraph style={{ marginTop: 16 }}>
        <Link to="/track">{t('public.trackExisting')}</Link>
      </Typography.Paragraph>
    </div>
  );
}
