// /people/:id — one resident: masked ID and phone (revealed once, with a reason, when allowed),
// household, history; edit and merge when the record's abilities say so.
import { lazy, Suspense, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Row,
  Space,
  Spin,
  Tag,
  Timeline,
  Tooltip,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import {
  usePerson,
  type PersonDetail,
  type PersonHistoryEntry,
  type RevealResponse,
  type SensitiveField,
} from '../../api/people.js';
import { formatTime } from '../../app/format.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { PersonFormModal } from './PersonFormModal.js';
import { RevealModal } from './RevealModal.js';
import { MergeModal } from './MergeModal.js';
import { PersonTags, ResidenceTag, useNoIdLabel } from './labels.js';

type Revealed = Partial<Record<SensitiveField, string | null>>;

/** Ordering home observation: its own chunk, fetched when the button is pressed. */
const OrderObservationModal = lazy(() => import('../observation/OrderObservationModal.js'));

/** History actions as the server writes them (`created`, `merged_into`…) → their label key. */
const HISTORY_LABELS = {
  created: 'create',
  updated: 'update',
  revealed: 'reveal',
  merged_in: 'mergedIn',
  merged_into: 'mergedInto',
  imported: 'import',
  moved: 'move',
} as const;
type HistoryLabel = (typeof HISTORY_LABELS)[keyof typeof HISTORY_LABELS];

function historyLabel(action: string): HistoryLabel | null {
  return Object.hasOwn(HISTORY_LABELS, action) ? HISTORY_LABELS[action as keyof typeof HISTORY_LABELS] : null;
}

/** Field names in a history detail (`{fields: ['phone']}`) → their labels when known. */
const FIELD_LABELS: Record<string, string> = {
  name: 'name',
  idNumber: 'idNumber',
  phone: 'phone',
  gender: 'gender',
  birthDate: 'birthDate',
  ethnicity: 'ethnicity',
  nodeId: 'grid',
  householdId: 'household',
  relationToHead: 'relationToHead',
  address: 'address',
  residenceType: 'residenceType',
  arrivalDate: 'arrivalDate',
  originRegion: 'originRegion',
  noIdReason: 'noIdReason',
  tags: 'tags',
  notes: 'notes',
};

function useDetailText(): (detail: unknown) => string {
  const { t } = useTranslation();
  const fieldLabel = (f: string): string =>
    Object.hasOwn(FIELD_LABELS, f) ? t(`people.${FIELD_LABELS[f] as 'name'}`) : f;
  const text = (detail: unknown): string => {
    if (detail === null || detail === undefined || detail === '') return '';
    if (typeof detail === 'string' || typeof detail === 'number' || typeof detail === 'boolean')
      return String(detail);
    if (Array.isArray(detail)) return detail.map(text).filter(Boolean).join(', ');
    if (typeof detail === 'object') {
      const d = detail as Record<string, unknown>;
      return Object.entries(d)
        .map(([k, v]) => {
          if (k === 'fields' && Array.isArray(v))
            return `${t('people.historyFields')}: ${v.map((f) => fieldLabel(String(f))).join(', ')}`;
          if (k === 'field' && typeof v === 'string') return `${t('people.historyField')}: ${fieldLabel(v)}`;
          if (k === 'reason') return `${t('people.reason')}: ${text(v)}`;
          if (k === 'from' && typeof v === 'number') return `${t('people.historyFrom')}: #${v}`;
          if (k === 'into' && typeof v === 'number') return `${t('people.historyInto')}: #${v}`;
          if (k === 'job' && typeof v === 'number') return `${t('people.historyJob')}: #${v}`;
          if (k === 'file' && typeof v === 'string') return `${t('people.historyFile')}: ${v}`;
          return `${k}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : text(v)}`;
        })
        .join('; ');
    }
    return '';
  };
  return text;
}

function History({ entries }: { entries: PersonHistoryEntry[] }) {
  const { t } = useTranslation();
  const detailText = useDetailText();
  if (entries.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <Timeline
      data-testid="person-history"
      items={entries.map((e, i) => {
        const verb = historyLabel(e.action);
        const text = detailText(e.detail);
        return {
          key: `${e.at}-${i}`,
          color: verb === 'reveal' ? 'red' : verb === 'mergedIn' || verb === 'mergedInto' ? 'orange' : 'blue',
          content: (
            <div data-testid={`history-${i}`}>
              <div>
                <Typography.Text type="secondary" className="linli-mono" style={{ fontSize: 12 }}>
                  {formatTime(e.at)}
                </Typography.Text>
              </div>
              <Typography.Text strong>{verb ? t(`people.history.${verb}`) : e.action}</Typography.Text>{' '}
              <Typography.Text type="secondary">{e.actor}</Typography.Text>
              {text && (
                <div>
                  <Typography.Text type="secondary" style={{ wordBreak: 'break-word' }}>
                    {text}
                  </Typography.Text>
                </div>
              )}
            </div>
          ),
        };
      })}
    />
  );
}

/** The record this one was merged into, from its last `merged_into` history entry. */
function mergedIntoId(history: PersonHistoryEntry[]): number | null {
  for (let i = history.length - 1; i >= 0; i--) {
    const e = history[i]!;
    if (e.action !== 'merged_into' || typeof e.detail !== 'object' || e.detail === null) continue;
    const into = (e.detail as { into?: unknown }).into;
    if (typeof into === 'number') return into;
  }
  return null;
}

function SensitiveValue({
  field,
  masked,
  revealed,
  canReveal,
  onReveal,
}: {
  field: SensitiveField;
  masked: string | null;
  revealed: Revealed;
  canReveal: boolean;
  onReveal: (f: SensitiveField) => void;
}) {
  const { t } = useTranslation();
  if (field in revealed) {
    return (
      <Space orientation="vertical" size={0}>
        <Typography.Text strong copyable className="linli-mono" data-testid={`revealed-${field}`}>
          {revealed[field] ?? ''}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('people.revealRecorded')}
        </Typography.Text>
      </Space>
    );
  }
  if (!masked) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space size={4} wrap>
      <span className="linli-mono" data-testid={`masked-${field}`}>
        {masked}
      </span>
      {canReveal && (
        <Tooltip title={t('people.revealHint')}>
          <Button size="small" type="link" data-testid={`reveal-${field}`} onClick={() => onReveal(field)}>
            {t('people.reveal')}
          </Button>
        </Tooltip>
      )}
    </Space>
  );
}

function Household({ person }: { person: PersonDetail }) {
  const { t } = useTranslation();
  const h = person.household;
  return (
    <Card
      size="small"
      title={t('people.household')}
      data-testid="person-household"
      extra={
        h ? (
          <Link to={`/households/${h.id}`} data-testid="person-household-link">
            {t('households.open')}
          </Link>
        ) : undefined
      }
    >
      {h ? (
        <>
          {h.address && <Typography.Paragraph style={{ marginBottom: 8 }}>{h.address}</Typography.Paragraph>}
          <Space orientation="vertical" size={4} style={{ width: '100%' }}>
            {h.members.map((m) => (
              <div key={m.id} data-testid={`household-member-${m.id}`}>
                {m.id === person.id ? (
                  <Typography.Text strong>{m.name}</Typography.Text>
                ) : (
                  <Link to={`/people/${m.id}`}>{m.name}</Link>
                )}{' '}
                {m.isHead && <Tag color="gold">{t('households.head')}</Tag>}
                {m.relation && <Typography.Text type="secondary">{m.relation}</Typography.Text>}
              </div>
            ))}
          </Space>
        </>
      ) : (
        <Typography.Text type="secondary">{t('people.noHousehold')}</Typography.Text>
      )}
    </Card>
  );
}

function PersonView({ person }: { person: PersonDetail }) {
  const { t } = useTranslation();
  const noIdLabel = useNoIdLabel();
  const [revealed, setRevealed] = useState<{ id: number; values: Revealed }>({ id: person.id, values: {} });
  const [revealing, setRevealing] = useState<SensitiveField | null>(null);
  const [editing, setEditing] = useState(false);
  const [merging, setMerging] = useState(false);
  const [observing, setObserving] = useState(false);
  // Revealed values belong to this record only (the page may show another one after a merge).
  const shown = revealed.id === person.id ? revealed.values : {};
  const ab = person.abilities;
  const canReveal = ab.reveal === true;
  const mergedInto = mergedIntoId(person.history);

  const onRevealed = (r: RevealResponse) =>
    setRevealed((prev) => ({
      id: person.id,
      values: { ...(prev.id === person.id ? prev.values : {}), [r.field]: r.value },
    }));

  const items: { key: string; label: string; children: ReactNode }[] = [
    {
      key: 'idNumber',
      label: t('people.idNumber'),
      children: person.idNumber ? (
        <SensitiveValue
          field="idNumber"
          masked={person.idNumber}
          revealed={shown}
          canReveal={canReveal}
          onReveal={setRevealing}
        />
      ) : (
        <Typography.Text type="secondary">
          {t('people.noId')}
          {person.noIdReason ? ` · ${noIdLabel(person.noIdReason)}` : ''}
        </Typography.Text>
      ),
    },
    {
      key: 'phone',
      label: t('people.phone'),
      children: (
        <SensitiveValue
          field="phone"
          masked={person.phone}
          revealed={shown}
          canReveal={canReveal}
          onReveal={setRevealing}
        />
      ),
    },
    {
      key: 'gender',
      label: t('people.gender'),
      children: person.gender ? t(`people.${person.gender}`) : '—',
    },
    { key: 'birthDate', label: t('people.birthDate'), children: person.birthDate ?? '—' },
    { key: 'ethnicity', label: t('people.ethnicity'), children: person.ethnicity ?? '—' },
    {
      key: 'residenceType',
      label: t('people.residenceType'),
      children: <ResidenceTag type={person.residenceType} />,
    },
    { key: 'grid', label: t('people.grid'), children: person.node.name },
    { key: 'address', label: t('people.address'), children: person.address ?? '—' },
    { key: 'relationToHead', label: t('people.relationToHead'), children: person.relationToHead ?? '—' },
  ];
  if (person.residenceType !== 'registered' || person.originRegion || person.arrivalDate) {
    items.push(
      { key: 'originRegion', label: t('people.originRegion'), children: person.originRegion ?? '—' },
      { key: 'arrivalDate', label: t('people.arrivalDate'), children: person.arrivalDate ?? '—' },
    );
  }
  items.push(
    {
      key: 'tags',
      label: t('people.tags'),
      children: person.tags.length > 0 ? <PersonTags codes={person.tags} /> : '—',
    },
    {
      key: 'notes',
      label: t('people.notes'),
      children: person.notes ? (
        <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
          {person.notes}
        </Typography.Paragraph>
      ) : (
        '—'
      ),
    },
    { key: 'updatedAt', label: t('people.updatedAt'), children: formatTime(person.updatedAt) },
  );

  return (
    <div>
      <div className="linli-page-title">
        <h1 data-testid="person-name">{person.name}</h1>
        <Space wrap>
          {ab.update && (
            <Button type="primary" data-testid="person-edit" onClick={() => setEditing(true)}>
              {t('common.edit')}
            </Button>
          )}
          {ab.merge && (
            <Button data-testid="person-merge" onClick={() => setMerging(true)}>
              {t('people.merge')}
            </Button>
          )}
          {ab.observe && (
            <Button data-testid="person-observe" onClick={() => setObserving(true)}>
              {t('observation.order')}
            </Button>
          )}
        </Space>
        {observing && (
          <Suspense fallback={null}>
            <OrderObservationModal
              person={person}
              members={(person.household?.members ?? []).filter((m) => m.id !== person.id)}
              onClose={() => setObserving(false)}
            />
          </Suspense>
        )}
      </div>
      {mergedInto !== null && (
        <Alert
          type="warning"
          showIcon
          data-testid="person-merged-into"
          title={t('people.mergedIntoNotice')}
          action={
            <Link to={`/people/${mergedInto}`} data-testid="person-survivor-link">
              {t('people.openSurvivor')}
            </Link>
          }
          style={{ marginBottom: 16 }}
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Card size="small">
            <Descriptions
              data-testid="person-detail"
              size="small"
              column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2 }}
              items={items}
            />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Household person={person} />
            <Card size="small" title={t('people.historyTitle')}>
              <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                {t('audit.timezone')}
              </Typography.Paragraph>
              <History entries={person.history} />
            </Card>
          </Space>
        </Col>
      </Row>
      <RevealModal
        personId={person.id}
        field={revealing}
        onClose={() => setRevealing(null)}
        onRevealed={onRevealed}
      />
      {ab.update && (
        <PersonFormModal
          open={editing}
          person={person}
          onClose={() => setEditing(false)}
          // An edit may have changed the revealed fields: show the masked ones again.
          onSaved={() => setRevealed({ id: person.id, values: {} })}
        />
      )}
      {ab.merge && merging && <MergeModal person={person} open={merging} onClose={() => setMerging(false)} />}
    </div>
  );
}

export default function PersonDetailPage() {
  const { t } = useTranslation();
  const params = useParams();
  const idNum = Number(params.id);
  const id = Number.isInteger(idNum) && idNum > 0 ? idNum : undefined;
  const person = usePerson(id);
  if (id === undefined) return <Empty description={t('common.notFound')} />;
  if (person.isPending) {
    return (
      <div className="linli-center">
        <Spin size="large" />
      </div>
    );
  }
  if (person.isError) return <ErrorAlert error={person.error} />;
  return <PersonView person={person.data} />;
}
