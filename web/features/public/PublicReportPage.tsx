// /report — a resident reports a problem without signing in: category, what, where, and optionally
// a name and phone for a call back. Answers a tracking code. Where: a place found by name (a town,
// village or community, or grid), the phone's location, a tap on the map, or ?lat=&lng= from a QR
// code; the page says in words where the report will go before it is sent. A place found by name is
// sent as that place (nodeId) with no point: no spot is made up for it. A spot is sent as lat/lng and
// placed in the grid holding it, the one the page named.
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Cascader, ConfigProvider, Form, Input, Result, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  categoryTree,
  submitPublicReport,
  usePlaceAt,
  usePublicCategories,
  type PublicReportInput,
} from '../../api/events.js';
import { useAppConfig, usePublicAreas } from '../../api/nodes.js';
import type { PublicPlace } from '../../api/types.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { useLabel } from '../../app/format.js';
import { LangSwitch } from '../../app/components/LangSwitch.js';
import { ExtraFields } from '../events/ExtraFields.js';
import { PhotoPicker } from '../events/PhotoPicker.js';
import { FINGER_THEME } from './fingerTheme.js';
import { PlaceMap } from './PlaceMap.js';
import { PlaceSearch, placeTrail } from './PlaceSearch.js';

/** Where the report goes: a place found by name, or a spot (tapped, located, or from a QR code). */
type Where =
  | { kind: 'place'; place: PublicPlace }
  | { kind: 'spot'; lat: number; lng: number; how: 'map' | 'location' | 'link' };

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

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
  const [where, setWhere] = useState<Where | null>(() => {
    const lat = Number(params.get('lat'));
    const lng = Number(params.get('lng'));
    return params.has('lat') && params.has('lng') && Math.abs(lat) <= 90 && Math.abs(lng) <= 180
      ? { kind: 'spot', lat: round6(lat), lng: round6(lng), how: 'link' }
      : null;
  });
  const spot = where?.kind === 'spot' ? { lat: where.lat, lng: where.lng } : null;
  const at = usePlaceAt(spot);
  // The place the report goes to, as the server will place it.
  const target: PublicPlace | null = where?.kind === 'place' ? where.place : (at.data?.place ?? null);
  const areas = usePublicAreas(target?.id);
  const config = useAppConfig();
  const [locating, setLocating] = useState(false);
  const [locationError, setLocationError] = useState<'denied' | 'unavailable' | null>(null);
  const locate = () => {
    setLocationError(null);
    if (!('geolocation' in navigator)) return setLocationError('unavailable');
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        setWhere({
          kind: 'spot',
          lat: round6(pos.coords.latitude),
          lng: round6(pos.coords.longitude),
          how: 'location',
        });
      },
      (err) => {
        setLocating(false);
        setLocationError(err.code === err.PERMISSION_DENIED ? 'denied' : 'unavailable');
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };
  const [code, setCode] = useState<string | null>(null);
  const [photosBusy, setPhotosBusy] = useState(false);
  const chosen = Form.useWatch('category', form);
  const category = categories.data?.items.find((c) => c.id === chosen?.at(-1));

  const submit = useMutation({
    mutationFn: (v: Values) => {
      const body: PublicReportInput = {
        categoryId: v.category?.at(-1) ?? 0,
        description: v.description,
        ...(where?.kind === 'place' ? { nodeId: where.place.id } : (spot ?? {})),
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
    <ConfigProvider theme={FINGER_THEME}>
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
              <Form.Item label={t('public.where')} required>
                <Space orientation="vertical" size={8} style={{ width: '100%' }}>
                  <PlaceSearch onChoose={(place) => setWhere({ kind: 'place', place })} />
                  <Button block onClick={locate} loading={locating}>
                    {t('public.useLocation')}
                  </Button>
                  {locationError && (
                    <Alert
                      type="warning"
                      showIcon
                      title={t(
                        locationError === 'denied' ? 'public.locationDenied' : 'public.locationUnavailable',
                      )}
                    />
                  )}
                  <Destination
                    where={where}
                    target={target}
                    checking={spot !== null && at.isPending}
                    failed={at.isError}
                  />
                  <PlaceMap
                    areas={areas.data}
                    selectedId={target?.id}
                    point={spot}
                    onPick={(lat, lng) => setWhere({ kind: 'spot', lat, lng, how: 'map' })}
                    tileUrl={config.data?.mapTileUrl || undefined}
                    testId="public-map"
                  />
                  <Typography.Text type="secondary">{t('public.tapMap')}</Typography.Text>
                </Space>
              </Form.Item>
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
                disabled={!target || photosBusy}
                data-testid="public-submit"
                block
              >
                {t('events.submit')}
              </Button>
            </Form>
          </Card>
        )}
        <Typography.Paragraph style={{ marginTop: 16 }}>
          <Link to="/track" style={{ display: 'inline-block', minHeight: 44, lineHeight: '44px' }}>
            {t('public.trackExisting')}
          </Link>
        </Typography.Paragraph>
      </div>
    </ConfigProvider>
  );
}

/** Where the report will go, in words, before it is sent. */
function Destination({
  where,
  target,
  checking,
  failed,
}: {
  where: Where | null;
  target: PublicPlace | null;
  checking: boolean;
  failed: boolean;
}) {
  const { t } = useTranslation();
  let alert: { type: 'success' | 'info' | 'warning'; title: string; description?: string };
  if (!where) alert = { type: 'info', title: t('public.noPlaceYet') };
  else if (checking) alert = { type: 'info', title: t('public.checkingPlace') };
  else if (failed) alert = { type: 'warning', title: t('public.checkFailed') };
  else if (!target) alert = { type: 'warning', title: t('public.outside') };
  else
    alert = {
      type: 'success',
      title: t('public.goesTo', { place: placeTrail(target) }),
      description:
        where.kind === 'place'
          ? t('public.byPlace')
          : where.how === 'location'
            ? t('public.byLocation')
            : t('public.byPoint'),
    };
  return (
    <Alert
      data-testid="public-destination"
      role="status"
      aria-live="polite"
      showIcon
      type={alert.type}
      title={alert.title}
      description={alert.description}
    />
  );
}
