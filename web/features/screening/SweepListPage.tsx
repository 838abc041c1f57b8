// /sweeps/:id/list?node= — a grid's sweep list (摸排名单), walked door to door on a phone: household by
// household, each person with their state and risk; 走访登记 opens the visit (the questionnaire, or not
// at home, moved away, refused). Someone met on the spot who is not on the list is added by ID number
// (registered once). A person found at risk can be ordered home observation from here.
import { lazy, Suspense, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { App, Button, Card, Form, Input, Modal, Progress, Radio, Tag } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Answers, QuestionnaireDefinition } from '../../../common/questionnaire.js';
import {
  addFound,
  recordVisit,
  sweepKeys,
  useGridList,
  VISIT_OUTCOMES,
  type RiskLevel,
  type TargetStatus,
  type TargetView,
  type VisitOutcome,
} from '../../api/screening.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { complete, QuestionnaireForm, shownAnswers } from './QuestionnaireForm.js';
import { percent } from './SweepsPage.js';
import '../observation/observation.css';
import './screening.css';

const OrderObservationModal = lazy(() => import('../observation/OrderObservationModal.js'));

const STATUS_COLOURS: Record<TargetStatus, string> = {
  pending: 'blue',
  not_home: 'orange',
  answered: 'green',
  moved: 'default',
  refused: 'red',
};
const RISK_COLOURS: Record<RiskLevel, string> = { low: 'green', medium: 'orange', high: 'red' };

export function RiskTag({ risk }: { risk: RiskLevel | null }) {
  const { t } = useTranslation();
  return risk ? <Tag color={RISK_COLOURS[risk]}>{t(`sweep.risk.${risk}`)}</Tag> : null;
}

function VisitModal({
  sweepId,
  target,
  def,
  onClose,
}: {
  sweepId: number;
  target: TargetView;
  def: QuestionnaireDefinition;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [outcome, setOutcome] = useState<VisitOutcome>('answered');
  const [answers, setAnswers] = useState<Answers>({});
  const [note, setNote] = useState('');
  const save = useMutation({
    mutationFn: () =>
      recordVisit(sweepId, target.id, {
        outcome,
        ...(outcome === 'answered' ? { answers: shownAnswers(def, answers) } : {}),
        note: note.trim() || null,
      }),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: sweepKeys.all });
      void message.success(
        r.target.risk
          ? t('sweep.visited', { risk: t(`sweep.risk.${r.target.risk}`) })
          : t('sweep.visitedOther', { outcome: t(`sweep.outcomeLabel.${outcome}`) }),
      );
      onClose();
    },
  });
  const ready = outcome !== 'answered' || complete(def, answers);
  return (
    <Modal
      open
      title={t('sweep.visitTitle', { name: target.person.name })}
      okText={t('sweep.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: !ready, 'data-testid': 'visit-submit' }}
      confirmLoading={save.isPending}
      onCancel={onClose}
      onOk={() => save.mutate()}
    >
      <div data-testid="visit-form">
        <div className="linli-question">
          <span className="linli-question-label">{t('sweep.outcome')}</span>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            className="linli-outcomes"
            value={outcome}
            onChange={(e) => setOutcome(e.target.value as VisitOutcome)}
            options={VISIT_OUTCOMES.map((o) => ({ value: o, label: t(`sweep.outcomeLabel.${o}`) }))}
            data-testid="visit-outcome"
          />
        </div>
        {outcome === 'answered' && <QuestionnaireForm def={def} answers={answers} onChange={setAnswers} />}
        <div className="linli-question">
          <label className="linli-question-label" htmlFor="visit-note">
            {t('sweep.note')}
          </label>
          <Input.TextArea
            id="visit-note"
            maxLength={500}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
        </div>
        {save.isError && <ErrorAlert error={save.error} />}
      </div>
    </Modal>
  );
}

interface FoundValues {
  name: string;
  idNumber: string;
  phone?: string;
  address?: string;
}

function FoundModal({
  sweepId,
  gridId,
  onClose,
  onAdded,
}: {
  sweepId: number;
  gridId: number;
  onClose: () => void;
  onAdded: (t: TargetView) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const onError = useFormErrorHandler();
  const [form] = Form.useForm<FoundValues>();
  const save = useMutation({
    mutationFn: (v: FoundValues) =>
      addFound(sweepId, {
        gridId,
        name: v.name,
        idNumber: v.idNumber,
        phone: v.phone?.trim() || null,
        address: v.address?.trim() || null,
      }),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: sweepKeys.all });
      void message.success(t(r.registered ? 'sweep.foundNew' : 'sweep.foundExisting'));
      onAdded(r.target);
    },
    onError: (e) => onError(e, form, ['name', 'idNumber', 'phone', 'address']),
  });
  return (
    <Modal
      open
      title={t('sweep.foundTitle')}
      okText={t('sweep.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onCancel={onClose}
      onOk={() => form.submit()}
    >
      <Form form={form} layout="vertical" data-testid="found-form" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="name" label={t('sweep.foundName')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="idNumber" label={t('sweep.foundId')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={18} autoComplete="off" />
        </Form.Item>
        <Form.Item name="phone" label={t('sweep.foundPhone')}>
          <Input inputMode="tel" maxLength={20} />
        </Form.Item>
        <Form.Item name="address" label={t('sweep.foundAddress')}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function SweepListPage() {
  const { t } = useTranslation();
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const [search] = useSearchParams();
  const nodeParam = search.get('node');
  const node = nodeParam ? Number(nodeParam) : undefined;
  const list = useGridList(id, node);
  const [visiting, setVisiting] = useState<TargetView | null>(null);
  const [ordering, setOrdering] = useState<TargetView | null>(null);
  const [adding, setAdding] = useState(false);
  const l = list.data;
  const def = l?.questionnaire.definition;
  return (
    <div>
      <div className="linli-page-title">
        <h1>{l ? t('sweep.listOf', { grid: l.node.name }) : t('sweep.myList')}</h1>
        <Link to="/sweeps" className="linli-link-button">
          {t('sweep.listTitle')}
        </Link>
      </div>
      {list.isError && <ErrorAlert error={list.error} />}
      {l && (
        <>
          <Card size="small" style={{ marginBottom: 12 }}>
            <Progress
              percent={percent(l.done, l.targets)}
              format={() => `${l.done}/${l.targets}`}
              aria-label={t('sweep.progress')}
              data-testid="grid-progress"
            />
            <div className="linli-sweep-actions">
              <span className="linli-muted">{t('sweep.remaining', { n: l.targets - l.done })}</span>
              {l.visit && (
                <Button onClick={() => setAdding(true)} data-testid="found-add">
                  {t('sweep.foundAdd')}
                </Button>
              )}
            </div>
          </Card>
          {l.households.length === 0 && <p className="linli-muted">{t('sweep.emptyList')}</p>}
          <div data-testid="grid-list">
            {l.households.map((h, i) => (
              <Card
                key={h.householdId ?? `none-${i}`}
                size="small"
                className="linli-household"
                title={h.address ?? t('sweep.noHousehold')}
              >
                <ul className="linli-targets">
                  {h.targets.map((p) => (
                    <li key={p.id} className="linli-target" data-testid={`target-${p.id}`}>
                      <span className="linli-target-who">
                        <strong>{p.person.name}</strong>{' '}
                        <span className="linli-muted">{p.person.idNumberMasked ?? ''}</span>
                      </span>
                      <Tag color={STATUS_COLOURS[p.status]}>{t(`sweep.status.${p.status}`)}</Tag>
                      <RiskTag risk={p.risk} />
                      {p.found && <Tag>{t('sweep.found')}</Tag>}
                      {l.visit && (p.status === 'pending' || p.status === 'not_home') && (
                        <Button type="primary" onClick={() => setVisiting(p)} data-testid={`visit-${p.id}`}>
                          {t('sweep.visit')}
                        </Button>
                      )}
                      {p.observe && (p.risk === 'high' || p.risk === 'medium') && (
                        <Button danger onClick={() => setOrdering(p)} data-testid={`order-${p.id}`}>
                          {t('sweep.order')}
                        </Button>
                      )}
                    </li>
                  ))}
                </ul>
              </Card>
            ))}
          </div>
          {visiting && def && (
            <VisitModal sweepId={id} target={visiting} def={def} onClose={() => setVisiting(null)} />
          )}
          {adding && (
            <FoundModal
              sweepId={id}
              gridId={l.node.id}
              onClose={() => setAdding(false)}
              onAdded={(p) => {
                setAdding(false);
                // Someone already on the list and visited: their row shows it, nothing to record.
                if (p.status === 'pending' || p.status === 'not_home') setVisiting(p);
              }}
            />
          )}
          {ordering && (
            <Suspense fallback={null}>
              <OrderObservationModal
                person={{ id: ordering.person.id, name: ordering.person.name }}
                reason={t('sweep.orderReason', { risk: t(`sweep.risk.${ordering.risk ?? 'high'}`) })}
                onClose={() => setOrdering(null)}
              />
            </Suspense>
          )}
        </>
      )}
    </div>
  );
}
