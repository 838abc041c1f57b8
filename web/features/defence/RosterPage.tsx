// /checkpoints/roster?checkpoint= | ?node= — 排班表: a week of a checkpoint's (or a node's
// checkpoints') shifts, days down and shifts across, each cell red when nobody is on it, amber when too
// few, green when covered; no-shows of the shifts running now; a tap on a shift shows its people to
// take off and a person to put on; shifts generated from a pattern; swap requests approved or refused.
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import {
  App,
  Button,
  Card,
  DatePicker,
  Empty,
  Input,
  List,
  Modal,
  Select,
  Space,
  Spin,
  Tag,
  TimePicker,
} from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import {
  SHIFT_ROLES,
  useAssign,
  useCheckpoints,
  useCoverage,
  useDecideSwap,
  useGenerateShifts,
  useSetPattern,
  useSwaps,
  useUnassign,
  type CoverageShift,
  type ShiftRole,
} from '../../api/defence.js';
import { useUserPick } from '../../api/accounts.js';
import { useAuth } from '../../app/auth.js';
import { useJurisdiction } from '../../app/jurisdiction.js';
import { formatTime } from '../../app/format.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { LazyNodeTreeSelect } from '../../app/components/LazyNodeTreeSelect.js';
import { ShiftTime } from './MyShiftPage.js';
import './defence.css';

const DAYS = 7;
const hhmm = (iso: string) => formatTime(iso).slice(11, 16);
/** Today's date in Shanghai, 'YYYY-MM-DD'. */
const today = () => formatTime(new Date().toISOString()).slice(0, 10);
const addDays = (ymd: string, n: number) =>
  new Date(Date.parse(`${ymd}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

function ShiftModal({
  s,
  known,
  onClose,
}: {
  s: CoverageShift;
  /** People already on the roster shown: offered first, to anyone (a lead may not read accounts). */
  known: { userId: number; name: string }[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const assign = useAssign();
  const unassign = useUnassign();
  const [q, setQ] = useState('');
  const [userId, setUserId] = useState<number | undefined>();
  const [role, setRole] = useState<ShiftRole>('volunteer');
  // With users.read the picker searches accounts too.
  const canPick = can('users.read');
  const pick = useUserPick(undefined, q, canPick);
  const [openedAt] = useState(() => Date.now());
  const ended = Date.parse(s.endsAt) <= openedAt;
  return (
    <Modal open title={s.checkpointName} onCancel={onClose} footer={null}>
      <p>
        <ShiftTime s={s} /> · {s.assigned}/{s.required}
      </p>
      <List
        dataSource={s.people}
        locale={{ emptyText: t('defence.uncovered') }}
        renderItem={(p) => (
          <List.Item
            actions={
              !ended && !p.checkedInAt
                ? [
                    <Button
                      key="off"
                      danger
                      className="linli-touch"
                      loading={unassign.isPending}
                      onClick={() =>
                        unassign.mutate({ shiftId: s.id, userId: p.userId }, { onSuccess: onClose })
                      }
                    >
                      {t('defence.unassign')}
                    </Button>,
                  ]
                : []
            }
          >
            <Space wrap>
              {p.name}
              <Tag>{t(`defence.role_${p.role as ShiftRole}`)}</Tag>
              {p.checkedInAt && (
                <Tag color="green">{t('defence.checkedIn', { at: hhmm(p.checkedInAt) })}</Tag>
              )}
              {s.noShows.includes(p.userId) && <Tag color="red">{t('defence.noShow')}</Tag>}
            </Space>
          </List.Item>
        )}
      />
      {!ended && (
        <Space wrap style={{ marginTop: 12 }}>
          <Select
            showSearch
            filterOption={canPick ? false : undefined}
            optionFilterProp="label"
            onSearch={canPick ? setQ : undefined}
            value={userId}
            onChange={setUserId}
            placeholder={t('defence.assignUser')}
            style={{ minWidth: 200 }}
            loading={pick.isFetching}
            options={[
              ...new Map(
                [
                  ...known.map((p) => ({ value: p.userId, label: p.name })),
                  ...(pick.data?.items ?? []).map((u) => ({
                    value: u.id,
                    label: `${u.displayName} (${u.username})`,
                  })),
                ]
                  .filter((o) => !s.people.some((p) => p.userId === o.value))
                  .filter((o) => !canPick || !q || o.label.includes(q))
                  .map((o) => [o.value, o]),
              ).values(),
            ]}
            aria-label={t('defence.assignUser')}
            data-testid="roster-user"
          />
          <Select
            value={role}
            onChange={setRole}
            style={{ minWidth: 120 }}
            aria-label={t('defence.assignRole')}
            options={SHIFT_ROLES.map((r) => ({ value: r, label: t(`defence.role_${r}`) }))}
          />
          <Button
            type="primary"
            className="linli-touch"
            disabled={userId === undefined}
            loading={assign.isPending}
            onClick={() =>
              userId !== undefined && assign.mutate({ shiftId: s.id, userId, role }, { onSuccess: onClose })
            }
            data-testid="roster-assign"
          >
            {t('defence.assign')}
          </Button>
        </Space>
      )}
      <ErrorAlert error={assign.error ?? unassign.error} style={{ marginTop: 12 }} />
    </Modal>
  );
}

function PatternCard({ checkpointId }: { checkpointId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const setPattern = useSetPattern();
  const generate = useGenerateShifts();
  const [kind, setKind] = useState<'three_by_eight' | 'two_by_twelve'>('three_by_eight');
  const [firstStart, setFirstStart] = useState('08:00');
  const [range, setRange] = useState<[string, string]>([today(), addDays(today(), DAYS - 1)]);
  const run = () =>
    setPattern.mutate(
      { checkpointId, pattern: { kind, firstStart } },
      {
        onSuccess: () =>
          generate.mutate(
            { checkpointId, from: range[0], to: range[1] },
            { onSuccess: (r) => void message.success(t('defence.generated', r)) },
          ),
      },
    );
  return (
    <Card size="small" title={t('defence.generate')} style={{ marginBottom: 12 }}>
      <Space wrap>
        <Select
          value={kind}
          onChange={setKind}
          aria-label={t('defence.pattern')}
          style={{ minWidth: 200 }}
          options={(['three_by_eight', 'two_by_twelve'] as const).map((k) => ({
            value: k,
            label: t(`defence.pattern_${k}`),
          }))}
        />
        <TimePicker
          format="HH:mm"
          minuteStep={15}
          value={dayjs(`2000-01-01T${firstStart}`)}
          onChange={(v) => v && setFirstStart(v.format('HH:mm'))}
          aria-label={t('defence.firstStart')}
          allowClear={false}
          style={{ minHeight: 44 }}
        />
        <DatePicker.RangePicker
          value={[dayjs(range[0]), dayjs(range[1])]}
          onChange={(v) => v?.[0] && v[1] && setRange([v[0].format('YYYY-MM-DD'), v[1].format('YYYY-MM-DD')])}
          allowClear={false}
          style={{ minHeight: 44 }}
        />
        <Button
          type="primary"
          className="linli-touch"
          loading={setPattern.isPending || generate.isPending}
          onClick={run}
          data-testid="roster-generate"
        >
          {t('defence.generate')}
        </Button>
      </Space>
      <ErrorAlert error={setPattern.error ?? generate.error} style={{ marginTop: 8 }} />
    </Card>
  );
}

function SwapsCard({ checkpointId, node }: { checkpointId?: number | undefined; node?: number | undefined }) {
  const { t } = useTranslation();
  const swaps = useSwaps({ checkpointId, node, status: 'pending' });
  const decide = useDecideSwap();
  const [note, setNote] = useState('');
  const items = swaps.data?.items ?? [];
  return (
    <Card
      size="small"
      title={t('defence.swapsTitle')}
      style={{ marginBottom: 12 }}
      data-testid="roster-swaps"
    >
      {items.length === 0 ? (
        <span className="linli-muted">{t('defence.noSwaps')}</span>
      ) : (
        <>
          <Input
            value={note}
            onChange={(e) => setNote(e.target.value)}
            placeholder={t('defence.swapReason')}
            maxLength={500}
            style={{ marginBottom: 8, minHeight: 44 }}
          />
          <List
            dataSource={items}
            renderItem={(w) => (
              <List.Item
                actions={
                  w.abilities.decide
                    ? (['approve', 'refuse'] as const).map((d) => (
                        <Button
                          key={d}
                          type={d === 'approve' ? 'primary' : 'default'}
                          className="linli-touch"
                          loading={decide.isPending}
                          onClick={() => decide.mutate({ id: w.id, decision: d, note: note.trim() })}
                          data-testid={`swap-${d}-${w.id}`}
                        >
                          {t(`defence.${d}`)}
                        </Button>
                      ))
                    : []
                }
              >
                <div>
                  <div>
                    {w.checkpoint.name} · <ShiftTime s={w.shift} />
                  </div>
                  <div className="linli-muted">
                    {t('defence.swapFromTo', {
                      from: w.from.name,
                      to: w.to?.name ?? t('defence.swapOpened'),
                    })}
                    {w.reason ? ` · ${w.reason}` : ''}
                  </div>
                </div>
              </List.Item>
            )}
          />
        </>
      )}
      <ErrorAlert error={swaps.error ?? decide.error} style={{ marginTop: 8 }} />
    </Card>
  );
}

/** One checkpoint's week: days down, shifts across. */
function Grid({ shifts, onPick }: { shifts: CoverageShift[]; onPick: (s: CoverageShift) => void }) {
  const { t } = useTranslation();
  const days = [...new Set(shifts.map((s) => s.day))].sort();
  const slots = [...new Set(shifts.map((s) => s.slot))].sort((a, b) => a - b);
  const at = new Map(shifts.map((s) => [`${s.day}/${s.slot}`, s]));
  const [now] = useState(() => Date.now());
  return (
    <div className="linli-roster-scroll">
      <table className="linli-roster-grid">
        <tbody>
          {days.map((d) => (
            <tr key={d}>
              <th scope="row">{d.slice(5)}</th>
              {slots.map((slot) => {
                const s = at.get(`${d}/${slot}`);
                if (!s) return <td key={slot} />;
                const running = Date.parse(s.startsAt) <= now && Date.parse(s.endsAt) > now;
                return (
                  <td key={slot}>
                    <button
                      type="button"
                      className={`linli-roster-cell linli-roster-${s.status}`}
                      onClick={() => onPick(s)}
                      data-testid={`roster-cell-${s.id}`}
                      data-status={s.status}
                      title={t(`defence.${s.status}`)}
                    >
                      <div>
                        {hhmm(s.startsAt)} {s.assigned}/{s.required}
                      </div>
                      <div style={{ fontSize: 12 }}>{s.people.map((p) => p.name).join('、')}</div>
                      {running && s.noShows.length > 0 && (
                        <Tag color="red" style={{ margin: 0 }}>
                          {t('defence.noShow')} {s.noShows.length}
                        </Tag>
                      )}
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function RosterPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const jurisdiction = useJurisdiction();
  const checkpointId = params.get('checkpoint') ? Number(params.get('checkpoint')) : undefined;
  const node = params.get('node')
    ? Number(params.get('node'))
    : checkpointId
      ? undefined
      : jurisdiction.node?.id;
  const span = useMemo(() => {
    const from = `${today()}T00:00:00+08:00`;
    const to = `${addDays(today(), DAYS)}T00:00:00+08:00`;
    return { from, to };
  }, []);
  const checkpoints = useCheckpoints({ node: checkpointId ? undefined : node });
  const coverage = useCoverage({ checkpointId, node: checkpointId ? undefined : node, ...span });
  const [picked, setPicked] = useState<CoverageShift | null>(null);
  const checkpoint = checkpoints.data?.items.find((c) => c.id === checkpointId);
  const byCheckpoint = useMemo(() => {
    const m = new Map<number, { name: string; shifts: CoverageShift[] }>();
    for (const s of coverage.data?.items ?? []) {
      const e = m.get(s.checkpointId) ?? { name: s.checkpointName, shifts: [] };
      e.shifts.push(s);
      m.set(s.checkpointId, e);
    }
    return [...m.entries()];
  }, [coverage.data]);
  const known = useMemo(() => {
    const m = new Map<number, string>();
    for (const x of coverage.data?.items ?? []) for (const p of x.people) m.set(p.userId, p.name);
    return [...m.entries()].map(([userId, name]) => ({ userId, name }));
  }, [coverage.data]);
  // The shift being looked at, refreshed with the grid after a change.
  const current = picked && (coverage.data?.items.find((s) => s.id === picked.id) ?? picked);
  return (
    <div data-testid="roster-page">
      <Space wrap style={{ marginBottom: 12 }}>
        <h2 style={{ margin: 0 }}>{t('defence.rosterTitle')}</h2>
        <LazyNodeTreeSelect
          value={node ?? null}
          valueLabel={jurisdiction.node?.name}
          onChange={(id) => id && setParams({ node: String(id) })}
          style={{ minWidth: 180 }}
        />
        <Select
          placeholder={t('defence.chooseCheckpoint')}
          value={checkpointId}
          allowClear
          onChange={(id?: number) =>
            setParams(id ? { checkpoint: String(id) } : node ? { node: String(node) } : {})
          }
          style={{ minWidth: 180 }}
          options={(checkpoints.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
          data-testid="roster-checkpoint"
        />
      </Space>
      {coverage.data && (
        <Space wrap style={{ marginBottom: 12 }} data-testid="roster-counts">
          <Tag color={coverage.data.uncoveredAhead > 0 ? 'red' : 'default'}>
            {t('defence.uncoveredAhead', { n: coverage.data.uncoveredAhead })}
          </Tag>
          <Tag color={coverage.data.understaffedAhead > 0 ? 'orange' : 'default'}>
            {t('defence.understaffedAhead', { n: coverage.data.understaffedAhead })}
          </Tag>
          <Tag color={coverage.data.noShowsNow > 0 ? 'red' : 'default'}>
            {t('defence.noShowsNow', { n: coverage.data.noShowsNow })}
          </Tag>
        </Space>
      )}
      {checkpointId !== undefined && checkpoint?.abilities.roster && (
        <PatternCard checkpointId={checkpointId} />
      )}
      <SwapsCard checkpointId={checkpointId} node={checkpointId ? undefined : node} />
      <ErrorAlert error={coverage.error} />
      {coverage.isLoading && <Spin />}
      {coverage.data && byCheckpoint.length === 0 && <Empty />}
      {byCheckpoint.map(([id, e]) => (
        <Card key={id} size="small" title={e.name} style={{ marginBottom: 12 }}>
          <Grid shifts={e.shifts} onPick={setPicked} />
        </Card>
      ))}
      {current && <ShiftModal s={current} known={known} onClose={() => setPicked(null)} />}
    </div>
  );
}
