// /events/:id — one event: what, where (map), who handles it, its clocks, the timeline, and the
// actions the server says this user may take now (each asks for what it needs: a reason, a
// department, extra hours, a review date, a close reason, feedback).
import { lazy, Suspense, useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Image,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Space,
  Timeline,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { CLOSE_REASON_CODES, PHOTO_ACTIONS } from '../../../common/contracts/events-codes.js';
import {
  useCategories,
  useDepartments,
  useEvent,
  useEventAction,
  type Department,
  type EventAction,
  type EventActionInput,
  type EventDetail,
} from '../../api/events.js';
import { photoUrl } from '../../api/photos.js';
import { formatTime, useLabel } from '../../app/format.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { PageSpin } from '../../app/components/PageSpin.js';
import { OverdueTag, StateTag, useEventLabels } from './labels.js';
import { PhotoPicker } from './PhotoPicker.js';
import { PointMap } from './PointMap.js';
import { ReporterContact } from './ReporterContact.js';

/** Handing a dispute to people's mediation: its own chunk, for whoever receives disputes. */
const EventToCaseModal = lazy(() => import('../mediation/EventToCaseModal.js'));

/** Actions that must carry a reason (as the server requires). */
const NEEDS_REASON: ReadonlySet<EventAction> = new Set([
  'reject',
  'return',
  'request_extension',
  'refuse_extension',
  'park',
  'verify_fail',
  'close',
  'escalate',
  'evaluate_dissatisfied',
]);
const DANGER: ReadonlySet<EventAction> = new Set([
  'reject',
  'return',
  'verify_fail',
  'close',
  'refuse_extension',
  'evaluate_dissatisfied',
]);
const PRIMARY: ReadonlySet<EventAction> = new Set([
  'accept',
  'dispatch',
  'sign',
  'feed_back',
  'verify_pass',
  'approve_extension',
  'evaluate_satisfied',
]);

interface ActionValues {
  reason?: string;
  departmentId?: number;
  assistingDepartmentIds?: number[];
  hours?: number;
  reviewOn?: { format: (f: string) => string };
  closeReason?: EventActionInput['closeReason'];
  duplicateOfId?: number;
  note?: string;
  photos?: string[];
}

function ActionModal({
  event,
  action,
  onClose,
}: {
  event: EventDetail;
  action: EventAction | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const labels = useEventLabels();
  const [form] = Form.useForm<ActionValues>();
  const onError = useFormErrorHandler();
  const mutation = useEventAction(event.id);
  const departments = useDepartments(event.node.id, action === 'dispatch');
  const categories = useCategories();
  const closeReason = Form.useWatch('closeReason', form);
  const [photosBusy, setPhotosBusy] = useState(false);
  if (!action) return null;
  const submit = (v: ActionValues) => {
    const body: EventActionInput = {
      action,
      ...(v.reason ? { reason: v.reason } : {}),
      ...(v.departmentId ? { departmentId: v.departmentId } : {}),
      ...(v.assistingDepartmentIds?.length ? { assistingDepartmentIds: v.assistingDepartmentIds } : {}),
      ...(v.hours ? { hours: v.hours } : {}),
      ...(v.reviewOn ? { reviewOn: v.reviewOn.format('YYYY-MM-DD') } : {}),
      ...(v.closeReason ? { closeReason: v.closeReason } : {}),
      ...(v.duplicateOfId ? { duplicateOfId: v.duplicateOfId } : {}),
      ...(v.note ? { note: v.note } : {}),
      ...(v.photos?.length ? { photos: v.photos } : {}),
    };
    mutation.mutate(body, {
      onSuccess: onClose,
      onError: (e) =>
        onError(e, form, [
          'reason',
          'departmentId',
          'assistingDepartmentIds',
          'hours',
          'reviewOn',
          'closeReason',
          'duplicateOfId',
          'note',
          'photos',
        ]),
    });
  };
  // The category's responsible kinds first, the nearest (a town's before the district's) among them.
  const kinds = categories.data?.items.find((c) => c.id === event.category.id)?.departmentKinds ?? [];
  const rank = (d: Department) => (kinds.includes(d.kind) ? 0 : 1);
  const deptOptions = (departments.data?.items ?? [])
    .filter((d) => !d.retired)
    .sort((a, b) => rank(a) - rank(b) || b.node.id - a.node.id || a.id - b.id)
    .map((d) => ({
      value: d.id,
      label: `${d.name}（${d.node.name}）${rank(d) === 0 ? ` · ${t('events.suggested')}` : ''}`,
    }));
  return (
    <Modal
      open
      title={labels.action(action)}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: mutation.isPending, disabled: photosBusy, 'data-testid': 'action-confirm' }}
      destroyOnHidden
    >
      <Form<ActionValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        data-testid={`action-form-${action}`}
      >
        {action === 'dispatch' && (
          <>
            <Form.Item name="departmentId" label={t('events.leadDepartment')} rules={[{ required: true }]}>
              <Select
                data-testid="action-department"
                loading={departments.isLoading}
                options={deptOptions}
                showSearch
                optionFilterProp="label"
              />
            </Form.Item>
            <Form.Item name="assistingDepartmentIds" label={t('events.assistingDepartments')}>
              <Select mode="multiple" options={deptOptions} optionFilterProp="label" />
            </Form.Item>
          </>
        )}
        {action === 'request_extension' && (
          <Form.Item name="hours" label={t('events.extraHours')} rules={[{ required: true }]}>
            <InputNumber data-testid="action-hours" min={1} max={2000} />
          </Form.Item>
        )}
        {action === 'park' && (
          <Form.Item name="reviewOn" label={t('events.reviewOn')} rules={[{ required: true }]}>
            <DatePicker data-testid="action-review-on" />
          </Form.Item>
        )}
        {action === 'close' && (
          <>
            <Form.Item name="closeReason" label={t('events.closeReason')} rules={[{ required: true }]}>
              <Select
                data-testid="action-close-reason"
                options={CLOSE_REASON_CODES.filter((r) => r !== 'resolved').map((r) => ({
                  value: r,
                  label: labels.closeReason(r),
                }))}
              />
            </Form.Item>
            {closeReason === 'duplicate' && (
              <Form.Item name="duplicateOfId" label={t('events.duplicateOf')} rules={[{ required: true }]}>
                <InputNumber min={1} />
              </Form.Item>
            )}
          </>
        )}
        {action === 'feed_back' && (
          <Form.Item name="note" label={t('events.feedback')} rules={[{ required: true, max: 2000 }]}>
            <Input.TextArea data-testid="action-note" rows={3} maxLength={2000} />
          </Form.Item>
        )}
        {(PHOTO_ACTIONS as readonly string[]).includes(action) && (
          <Form.Item name="photos" label={t('events.photos')}>
            <PhotoPicker testId="action-photos" onBusyChange={setPhotosBusy} />
          </Form.Item>
        )}
        <Form.Item
          name="reason"
          label={t('events.reason')}
          rules={[{ required: NEEDS_REASON.has(action), max: 1000 }]}
        >
          <Input.TextArea data-testid="action-reason" rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function EventDetailPage() {
  const { t } = useTranslation();
  const label = useLabel();
  const labels = useEventLabels();
  const id = Number(useParams().id);
  const event = useEvent(Number.isFinite(id) ? id : undefined);
  const [action, setAction] = useState<EventAction | null>(null);
  const [toMediation, setToMediation] = useState(false);
  if (event.isPending) return <PageSpin />;
  if (event.isError) return <ErrorAlert error={event.error} />;
  const e = event.data;
  return (
    <div data-testid="event-detail">
      <div className="linli-page-title">
        <h1>
          {e.title} <StateTag state={e.state} /> <OverdueTag overdue={e.overdue} />
        </h1>
        <Space wrap data-testid="event-actions">
          {e.actions.map((a) => (
            <Button
              key={a}
              data-testid={`action-${a}`}
              type={PRIMARY.has(a) ? 'primary' : 'default'}
              danger={DANGER.has(a)}
              onClick={() => setAction(a)}
            >
              {labels.action(a)}
            </Button>
          ))}
          {e.abilities.mediate && (
            <Button data-testid="action-to-mediation" onClick={() => setToMediation(true)}>
              {t('events.toMediation')}
            </Button>
          )}
        </Space>
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card size="small">
            <Descriptions column={{ xs: 1, md: 2 }} size="small">
              <Descriptions.Item label={t('events.trackingCode')}>
                <Typography.Text className="linli-mono" data-testid="tracking-code">
                  {e.trackingCode}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('events.category')}>
                {label({ zh: e.category.nameZh, en: e.category.nameEn })}
              </Descriptions.Item>
              <Descriptions.Item label={t('events.place')}>{e.node.name}</Descriptions.Item>
              <Descriptions.Item label={t('events.owner')}>
                <span data-testid="owner-level">{labels.level(e.ownerLevel)}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('events.channel')}>{labels.channel(e.channel)}</Descriptions.Item>
              <Descriptions.Item label={t('events.department')}>
                {e.departments
                  .map((d) => `${d.name}${d.role === 'assist' ? `（${t('events.assist')}）` : ''}`)
                  .join('、') || '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('events.signDueAt')}>
                {formatTime(e.signDueAt) || '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('events.handleDueAt')}>
                {formatTime(e.handleDueAt) || '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('events.address')}>{e.address ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('events.reporter')}>
                <ReporterContact key={e.id} event={e} />
              </Descriptions.Item>
              {e.mediation && (
                <Descriptions.Item label={t('events.mediationCase')}>
                  <Link to={`/mediation/cases/${e.mediation.caseId}`} data-testid="event-mediation-case">
                    {e.mediation.dossierNo}
                  </Link>
                </Descriptions.Item>
              )}
              {e.closeReason && (
                <Descriptions.Item label={t('events.closeReason')}>
                  {labels.closeReason(e.closeReason)}
                </Descriptions.Item>
              )}
              {e.evaluation && (
                <Descriptions.Item label={t('events.evaluation')}>
                  {t(`events.evaluations.${e.evaluation as 'satisfied'}`)}
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t('events.counts')}>
                {t('events.countsText', {
                  rework: e.reworkCount,
                  reopen: e.reopenCount,
                  escalation: e.escalationCount,
                })}
              </Descriptions.Item>
            </Descriptions>
            <Typography.Paragraph
              style={{ marginTop: 12, whiteSpace: 'pre-wrap' }}
              data-testid="event-description"
            >
              {e.description}
            </Typography.Paragraph>
            {Object.keys(e.attributes).length > 0 && (
              <Typography.Paragraph type="secondary">
                {Object.entries(e.attributes)
                  .map(([k, v]) => `${k}: ${v}`)
                  .join('；')}
              </Typography.Paragraph>
            )}
          </Card>
          <Card size="small" title={t('events.timeline')} style={{ marginTop: 16 }}>
            <Timeline
              data-testid="event-timeline"
              items={e.history.map((h, i) => ({
                key: i,
                color: h.action === 'escalate' ? 'red' : h.action === 'verify_pass' ? 'green' : 'blue',
                children: (
                  <div data-testid={`timeline-${i}`}>
                    <Typography.Text strong>{labels.action(h.action)}</Typography.Text> →{' '}
                    {labels.state(h.toState as EventDetail['state'])}
                    <Typography.Text type="secondary">
                      {' '}
                      · {formatTime(h.at)} · {h.actor}
                    </Typography.Text>
                    {h.reason && (
                      <div>
                        {t('events.reason')}: {h.reason}
                      </div>
                    )}
                    {h.detail !== null && typeof h.detail === 'object' && 'note' in h.detail && (
                      <div>{String(h.detail.note)}</div>
                    )}
                    {h.photos.length > 0 && (
                      <Image.PreviewGroup>
                        <div
                          style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginTop: 6 }}
                          data-testid={`timeline-photos-${i}`}
                        >
                          {h.photos.map((p) => (
                            <Image
                              key={p.id}
                              src={photoUrl(e.id, p.id)}
                              width={88}
                              height={88}
                              style={{ objectFit: 'cover', borderRadius: 4 }}
                              alt={t('events.photos')}
                            />
                          ))}
                        </div>
                      </Image.PreviewGroup>
                    )}
                  </div>
                ),
              }))}
            />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('events.map')}>
            {e.lat !== null && e.lng !== null ? (
              <PointMap lat={e.lat} lng={e.lng} />
            ) : (
              <Typography.Text type="secondary">{t('events.noPoint')}</Typography.Text>
            )}
          </Card>
        </Col>
      </Row>
      <ActionModal key={action ?? 'none'} event={e} action={action} onClose={() => setAction(null)} />
      {toMediation && (
        <Suspense fallback={null}>
          <EventToCaseModal event={e} onClose={() => setToMediation(false)} />
        </Suspense>
      )}
    </div>
  );
}
