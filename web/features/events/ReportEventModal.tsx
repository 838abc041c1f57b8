// Report an event as staff (grid patrol or hotline): category, what and where; possible duplicates
// nearby are shown after filing so the reporter can check them.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Cascader, Form, Input, InputNumber, Modal, Radio, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  categoryTree,
  eventKeys,
  reportEvent,
  useCategories,
  type ReportEventInput,
  type ReportEventResponse,
} from '../../api/events.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { useLabel } from '../../app/format.js';
import { NodeTreeSelect } from '../../app/components/NodeTreeSelect.js';
import { ExtraFields } from './ExtraFields.js';
import { PhotoPicker } from './PhotoPicker.js';

interface Values {
  category?: number[];
  title: string;
  description: string;
  channel: 'patrol' | 'hotline';
  nodeId?: number;
  lat?: number;
  lng?: number;
  address?: string;
  reporterName?: string;
  reporterPhone?: string;
  attributes?: Record<string, string | number>;
  photos?: string[];
}

export function ReportEventModal({
  open,
  onClose,
  defaultNode,
}: {
  open: boolean;
  onClose: () => void;
  defaultNode?: { id: number; name: string } | undefined;
}) {
  const { t } = useTranslation();
  const label = useLabel();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const onError = useFormErrorHandler();
  const categories = useCategories();
  const [photosBusy, setPhotosBusy] = useState(false);
  const [filed, setFiled] = useState<ReportEventResponse | null>(null);
  const chosen = Form.useWatch('category', form);
  const category = categories.data?.items.find((c) => c.id === chosen?.at(-1));
  const channel = Form.useWatch('channel', form);

  const submit = useMutation({
    mutationFn: (v: Values) => {
      const body: ReportEventInput = {
        categoryId: v.category?.at(-1) ?? 0,
        title: v.title,
        description: v.description,
        channel: v.channel,
        ...(v.nodeId ? { nodeId: v.nodeId } : {}),
        ...(v.lat !== undefined && v.lng !== undefined && v.lat !== null && v.lng !== null
          ? { lat: v.lat, lng: v.lng }
          : {}),
        ...(v.address ? { address: v.address } : {}),
        ...(v.reporterName ? { reporterName: v.reporterName } : {}),
        ...(v.reporterPhone ? { reporterPhone: v.reporterPhone } : {}),
        attributes: Object.fromEntries(
          Object.entries(v.attributes ?? {}).filter(([, x]) => x !== undefined && x !== null && x !== ''),
        ),
        ...(v.photos?.length ? { photos: v.photos } : {}),
      };
      return reportEvent(body);
    },
    onSuccess: (r) => {
      setFiled(r);
      void qc.invalidateQueries({ queryKey: eventKeys.all });
    },
    onError: (e) =>
      onError(e, form, [
        'categoryId',
        'title',
        'description',
        'nodeId',
        'lat',
        'lng',
        'address',
        'reporterName',
        'reporterPhone',
        'photos',
      ]),
  });

  const close = () => {
    setFiled(null);
    form.resetFields();
    onClose();
  };

  return (
    <Modal
      open={open}
      title={t('events.report')}
      onCancel={close}
      onOk={() => (filed ? close() : form.submit())}
      okText={filed ? t('common.close') : t('events.submit')}
      okButtonProps={{ loading: submit.isPending, disabled: photosBusy, 'data-testid': 'report-submit' }}
      destroyOnHidden
      width={640}
    >
      {filed ? (
        <Space direction="vertical" style={{ width: '100%' }} data-testid="report-done">
          <Alert
            type="success"
            showIcon
            message={
              <span>
                {t('events.filed')} <Link to={`/events/${filed.event.id}`}>{filed.event.trackingCode}</Link>
              </span>
            }
          />
          {filed.possibleDuplicates.length > 0 && (
            <Alert
              type="warning"
              data-testid="possible-duplicates"
              message={t('events.possibleDuplicates')}
              description={
                <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                  {filed.possibleDuplicates.map((d) => (
                    <li key={d.id}>
                      <Link to={`/events/${d.id}`}>{d.trackingCode}</Link> {d.title} —{' '}
                      {t('events.metres', { n: d.distanceM })}
                    </li>
                  ))}
                </ul>
              }
            />
          )}
        </Space>
      ) : (
        <Form<Values>
          form={form}
          layout="vertical"
          initialValues={{ channel: 'patrol', nodeId: defaultNode?.id }}
          onFinish={(v) => submit.mutate(v)}
          data-testid="report-form"
        >
          <Form.Item name="channel" label={t('events.channel')}>
            <Radio.Group
              options={[
                { value: 'patrol', label: t('events.channels.patrol') },
                { value: 'hotline', label: t('events.channels.hotline') },
              ]}
            />
          </Form.Item>
          <Form.Item
            name="category"
            label={t('events.category')}
            rules={[{ required: true, message: t('events.chooseCategory') }]}
          >
            <Cascader
              data-testid="report-category"
              options={categoryTree(categories.data?.items ?? [], (c) =>
                label({ zh: c.nameZh, en: c.nameEn }),
              )}
              placeholder={t('events.chooseCategory')}
            />
          </Form.Item>
          {category?.closingCriteria && (
            <Typography.Paragraph type="secondary" style={{ marginTop: -12 }}>
              {t('events.closingCriteria')}: {category.closingCriteria}
            </Typography.Paragraph>
          )}
          <Form.Item name="title" label={t('events.titleField')} rules={[{ required: true, max: 100 }]}>
            <Input data-testid="report-title" maxLength={100} />
          </Form.Item>
          <Form.Item
            name="description"
            label={t('events.description')}
            rules={[{ required: true, max: 2000 }]}
          >
            <Input.TextArea data-testid="report-description" rows={3} maxLength={2000} />
          </Form.Item>
          <Form.Item name="nodeId" label={t('events.place')} extra={t('events.placeHelp')}>
            <NodeTreeSelect
              data-testid="report-node"
              valueLabel={defaultNode?.name}
              placeholder={t('layout.chooseNode')}
              allowClear
            />
          </Form.Item>
          <Space wrap>
            <Form.Item name="lat" label={t('events.lat')}>
              <InputNumber min={-90} max={90} step={0.0001} style={{ width: 160 }} />
            </Form.Item>
            <Form.Item name="lng" label={t('events.lng')}>
              <InputNumber min={-180} max={180} step={0.0001} style={{ width: 160 }} />
            </Form.Item>
          </Space>
          <Form.Item name="address" label={t('events.address')}>
            <Input maxLength={200} />
          </Form.Item>
          {category && <ExtraFields fields={category.extraFields} />}
          <Form.Item name="photos" label={t('events.photos')}>
            <PhotoPicker testId="report-photos" onBusyChange={setPhotosBusy} />
          </Form.Item>
          {channel === 'hotline' && (
            <Space wrap>
              <Form.Item name="reporterName" label={t('events.reporterName')}>
                <Input maxLength={50} />
              </Form.Item>
              <Form.Item name="reporterPhone" label={t('events.reporterPhone')}>
                <Input maxLength={20} />
              </Form.Item>
            </Space>
          )}
        </Form>
      )}
    </Modal>
  );
}
