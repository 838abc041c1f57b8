// /passages/new — 卡口登记: a vehicle (or people on foot) through a checkpoint, registered with one hand
// at a roadside. The checkpoint comes from the caller's shift (else a picker, remembered), direction is
// two big buttons, the plate has a province quick picker and is checked as typed, each traveller is a
// row with their screening answers as big yes/no buttons. Enter moves to the next field and, on the
// last, registers. A plate or ID number seen before fills the rest in.
//
// Every registration is an outbox entry first (web/features/defence/outbox.ts): made once with its own
// Idempotency-Key, sent at once when the phone is online, kept when the network fails and sent, in
// order and with the same key, when the connection returns. What the server refuses comes back to the
// form (or waits in the list below it) for the person to correct.
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { Link } from 'react-router';
import { Alert, App, Button, Form, Input, Segmented, Select, Space, Tag } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { fieldPath } from '../../api/client.js';
import {
  createPassage,
  fetchRecall,
  passageKeys,
  type CreatePassageInput,
  type PassageView,
} from '../../api/passages.js';
import { useCheckpoints, useMyShifts } from '../../api/defence.js';
import type { NoIdReason } from '../../api/people.js';
import { useAuth } from '../../app/auth.js';
import { formatTime } from '../../app/format.js';
import { LIMITS } from '../../../common/limits.js';
import { parseIdNumber, parsePlate } from '../../../common/validators.js';
import { NO_ID_REASONS, useNoIdLabel } from '../people/labels.js';
import { PlacePicker } from './PlacePicker.js';
import { RegionPicker } from './RegionPicker.js';
import { useFaultText, VEHICLE_TYPES } from './labels.js';
import {
  browserStore,
  newEntry,
  newKey,
  Outbox,
  outboxKeyOf,
  retryWhenOnline,
  type KeyValueStore,
  type OutboxEntry,
} from './outbox.js';
import {
  applyIdRecall,
  applyPlateRecall,
  checkDraft,
  checkpointOfShift,
  fieldId,
  liveIdFault,
  livePlateFault,
  looksRisky,
  newDraft,
  newRow,
  PLATE_QUICK_PICKS,
  toBody,
  type Fault,
  type PassageDraft,
  type PersonRow,
} from './passageForm.js';
import './passages.css';

type Body = CreatePassageInput & { registeredAt: string };
type Entry = OutboxEntry<Body>;

/** Retry the outbox this often while the page is open (and at once when the connection returns). */
const RETRY_MS = 30_000;
const CHECKPOINT_KEY = 'linli.passages.checkpoint';
const QUICK_SHOWN = 6;

/** The checkpoint chosen on this phone, kept for the next time (storage may be blocked: then not kept). */
function readKept(): string | null {
  try {
    return localStorage.getItem(CHECKPOINT_KEY);
  } catch {
    return null;
  }
}
function keep(id: string) {
  try {
    localStorage.setItem(CHECKPOINT_KEY, id);
  } catch {
    // not kept
  }
}

const today = () => new Date().toISOString().slice(0, 10);
const uid = () => newKey();

/** The outbox's entries, re-read when this page or another tab changes them. */
function useOutbox(outbox: Outbox<Body>, store: KeyValueStore, storageKey: string) {
  const subscribe = useCallback(
    (changed: () => void) => {
      const stop = outbox.subscribe(changed);
      const onStorage = (e: StorageEvent) => {
        if (e.key === storageKey) changed();
      };
      window.addEventListener('storage', onStorage);
      return () => {
        stop();
        window.removeEventListener('storage', onStorage);
      };
    },
    [outbox, storageKey],
  );
  const raw = useSyncExternalStore(subscribe, () => store.getItem(storageKey));
  // `raw` is what the entries are read from: a new string means new entries.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useMemo(() => outbox.entries(), [outbox, raw]);
}

function focusField(path: string | undefined) {
  const id = path && fieldId(path);
  if (!id) return;
  setTimeout(() => {
    const el = document.getElementById(id);
    el?.scrollIntoView({ block: 'center' });
    el?.focus();
  }, 0);
}

/** Moves the focus to the next field marked `data-enter` in the form, or runs `last` on the last one. */
function focusNext(from: HTMLElement, last: () => void) {
  const form = from.closest('.linli-passage-form');
  if (!form) return;
  const fields = [...form.querySelectorAll<HTMLElement>('[data-enter]')];
  const i = fields.indexOf(from);
  const next = fields[i + 1];
  if (next) next.focus();
  else last();
}

function YesNo({
  label,
  value,
  onChange,
  testId,
}: {
  label: string;
  value: boolean;
  onChange: (v: boolean) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="linli-yesno" role="group" aria-label={label}>
      <span>{label}</span>
      <Space.Compact>
        <Button
          data-testid={`${testId}-no`}
          type={value ? 'default' : 'primary'}
          aria-pressed={!value}
          onClick={() => onChange(false)}
        >
          {t('passages.no')}
        </Button>
        <Button
          data-testid={`${testId}-yes`}
          type={value ? 'primary' : 'default'}
          danger={value}
          aria-pressed={value}
          onClick={() => onChange(true)}
        >
          {t('passages.yes')}
        </Button>
      </Space.Compact>
    </div>
  );
}

function PersonFields({
  row,
  index,
  count,
  faults,
  onChange,
  onRemove,
  onIdComplete,
  onEnter,
}: {
  row: PersonRow;
  index: number;
  count: number;
  faults: Record<string, Fault>;
  onChange: (patch: Partial<PersonRow>) => void;
  onRemove: () => void;
  onIdComplete: (id: string) => void;
  onEnter: (el: HTMLElement) => void;
}) {
  const { t } = useTranslation();
  const faultText = useFaultText();
  const noIdLabel = useNoIdLabel();
  const at = (f: string) => faults[`people.${index}.${f}`];
  const idFault = at('idNumber') ?? liveIdFault(row.idNumber, today());
  const enter = (e: React.KeyboardEvent<HTMLInputElement>) => {
    e.preventDefault();
    onEnter(e.currentTarget);
  };
  const p = `passage-person-${index}`;
  return (
    <div className={`linli-passage-person${looksRisky(row) ? ' linli-risky' : ''}`} data-testid={p}>
      <div className="linli-passage-person-head">
        <span>{t('passages.personN', { n: index + 1 })}</span>
        {count > 1 && (
          <Button
            type="text"
            danger
            icon={<DeleteOutlined />}
            aria-label={t('passages.removePerson', { n: index + 1 })}
            data-testid={`${p}-remove`}
            onClick={onRemove}
          />
        )}
      </div>
      <Form.Item
        label={t('passages.name')}
        htmlFor={`${p}-name`}
        validateStatus={at('name') ? 'error' : undefined}
        help={faultText(at('name'))}
      >
        <Input
          id={`${p}-name`}
          data-testid={`${p}-name`}
          data-enter
          size="large"
          maxLength={LIMITS.name}
          autoComplete="off"
          enterKeyHint="next"
          value={row.name}
          onChange={(e) =>
            // Another name than the one recalled: the last registration's hints are not this traveller's.
            onChange({ name: e.target.value, ...(row.recalled ? { recalled: undefined } : {}) })
          }
          onPressEnter={enter}
        />
      </Form.Item>
      <Form.Item
        label={t('passages.idNumber')}
        htmlFor={`${p}-id`}
        validateStatus={idFault ? 'error' : undefined}
        help={
          faultText(idFault) ??
          (row.recalled && !row.idNumber
            ? t('passages.recalledHint', {
                id: row.recalled.idNumber ?? t('passages.none'),
                phone: row.recalled.phone ?? t('passages.none'),
              })
            : undefined)
        }
      >
        <Space.Compact style={{ width: '100%' }}>
          <Input
            id={`${p}-id`}
            data-testid={`${p}-id`}
            data-enter
            size="large"
            inputMode="numeric"
            maxLength={18}
            autoComplete="off"
            enterKeyHint="next"
            className="linli-mono"
            value={row.idNumber}
            onChange={(e) => {
              const v = e.target.value.toUpperCase();
              onChange({ idNumber: v });
              if (parseIdNumber(v, today()).ok) onIdComplete(v);
            }}
            onPressEnter={enter}
          />
          {/* The numeric keyboard has no X: the last character of some ID numbers. */}
          <Button
            size="large"
            data-testid={`${p}-id-x`}
            aria-label={t('passages.typeX')}
            onClick={() => {
              const v = `${row.idNumber}X`.slice(0, 18);
              onChange({ idNumber: v });
              if (parseIdNumber(v, today()).ok) onIdComplete(v);
            }}
          >
            X
          </Button>
        </Space.Compact>
      </Form.Item>
      {!row.idNumber.trim() && (
        <Form.Item label={t('passages.noIdReason')} htmlFor={`${p}-noid`}>
          <Select<NoIdReason>
            id={`${p}-noid`}
            data-testid={`${p}-noid`}
            size="large"
            allowClear
            placeholder={t('passages.noIdReasonPlaceholder')}
            value={row.noIdReason ?? undefined}
            onChange={(v) => onChange({ noIdReason: v ?? null })}
            options={NO_ID_REASONS.map((v) => ({ value: v, label: noIdLabel(v) }))}
          />
        </Form.Item>
      )}
      <div className="linli-two">
        <Form.Item
          label={t('passages.phone')}
          htmlFor={`${p}-phone`}
          validateStatus={at('phone') ? 'error' : undefined}
          help={faultText(at('phone'))}
        >
          <Input
            id={`${p}-phone`}
            data-testid={`${p}-phone`}
            data-enter
            size="large"
            inputMode="tel"
            maxLength={20}
            autoComplete="off"
            enterKeyHint="next"
            value={row.phone}
            onChange={(e) => onChange({ phone: e.target.value })}
            onPressEnter={enter}
          />
        </Form.Item>
        <Form.Item
          label={t('passages.temperature')}
          htmlFor={`${p}-temp`}
          validateStatus={at('answers.temperature') ? 'error' : undefined}
          help={faultText(at('answers.temperature'))}
        >
          <Input
            id={`${p}-temp`}
            data-testid={`${p}-temp`}
            data-enter
            size="large"
            inputMode="decimal"
            maxLength={5}
            autoComplete="off"
            enterKeyHint="next"
            placeholder="36.5"
            value={row.temperature}
            onChange={(e) => onChange({ temperature: e.target.value })}
            onPressEnter={enter}
          />
        </Form.Item>
      </div>
      <YesNo
        label={t('passages.keyRegion14d')}
        value={row.keyRegion14d}
        onChange={(v) => onChange({ keyRegion14d: v })}
        testId={`${p}-key-region`}
      />
      <YesNo
        label={t('passages.caseContact')}
        value={row.caseContact}
        onChange={(v) => onChange({ caseContact: v })}
        testId={`${p}-case-contact`}
      />
    </div>
  );
}

/** The entries still to send, and those the server refused, with what to do about them. */
function OutboxPanel({
  entries,
  sending,
  onSend,
  onEdit,
  onDiscard,
}: {
  entries: Entry[];
  sending: boolean;
  onSend: () => void;
  onEdit: (e: Entry) => void;
  onDiscard: (e: Entry) => void;
}) {
  const { t } = useTranslation();
  const waiting = entries.filter((e) => e.state === 'waiting');
  const rejected = entries.filter((e) => e.state === 'rejected');
  if (entries.length === 0) return null;
  return (
    <div data-testid="passage-outbox" style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
      {waiting.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={
            <span className="linli-outbox">
              <span data-testid="passage-outbox-waiting">
                {t('passages.waitingN', { n: waiting.length })}
              </span>
              <Button size="small" loading={sending} onClick={onSend} data-testid="passage-outbox-send">
                {t('passages.sendNow')}
              </Button>
            </span>
          }
          description={t('passages.waitingHint')}
        />
      )}
      {rejected.map((e) => (
        <Alert
          key={e.key}
          type="error"
          showIcon
          data-testid={`passage-rejected-${e.key}`}
          title={`${e.body.plate ?? e.body.people[0]?.name ?? ''} · ${formatTime(e.registeredAt)}`}
          description={
            <>
              <div>{e.problem?.title}</div>
              {e.problem?.issues.map((i) => (
                <div key={`${i.path}-${i.code}`}>{`${fieldPath(i.path)}: ${i.message}`}</div>
              ))}
              <Space style={{ marginTop: 8 }}>
                <Button size="small" onClick={() => onEdit(e)}>
                  {t('passages.edit')}
                </Button>
                <Button size="small" danger onClick={() => onDiscard(e)}>
                  {t('passages.discard')}
                </Button>
              </Space>
            </>
          }
        />
      ))}
    </div>
  );
}

/** The checkpoint line: the shift's, or a picker (remembered on this phone). */
function CheckpointChoice({
  value,
  onChange,
  fault,
}: {
  value: number | undefined;
  onChange: (id: number) => void;
  fault?: string;
}) {
  const { t } = useTranslation();
  const shift = useMyShifts();
  const checkpoints = useCheckpoints({ status: 'open' });
  const openCheckpoints = checkpoints.data?.items;
  const fromShift = useMemo(() => checkpointOfShift(shift.data, new Date()), [shift.data]);
  const [picking, setPicking] = useState(false);

  useEffect(() => {
    if (value !== undefined) return;
    if (fromShift) return onChange(fromShift.id);
    if (shift.isLoading) return;
    const kept = Number(readKept());
    const list = openCheckpoints ?? [];
    if (kept && list.some((c) => c.id === kept)) onChange(kept);
    else if (list.length === 1) onChange(list[0]!.id);
  }, [value, fromShift, shift.isLoading, openCheckpoints, onChange]);

  const name =
    openCheckpoints?.find((c) => c.id === value)?.name ??
    (fromShift?.id === value ? fromShift?.name : null) ??
    (value !== undefined ? `#${value}` : null);

  if (value !== undefined && !picking)
    return (
      <div className="linli-outbox" data-testid="passage-checkpoint">
        <Tag color={fromShift?.id === value ? 'green' : 'blue'} style={{ fontSize: 15, padding: '6px 10px' }}>
          {fromShift?.id === value
            ? t('passages.checkpointOfShift', { name })
            : t('passages.checkpointChosen', { name })}
        </Tag>
        <Button data-testid="passage-checkpoint-change" onClick={() => setPicking(true)}>
          {t('passages.changeCheckpoint')}
        </Button>
      </div>
    );
  return (
    <Form.Item
      label={t('passages.checkpoint')}
      htmlFor="passage-checkpoint-select"
      validateStatus={fault ? 'error' : undefined}
      help={fault ?? (checkpoints.isError ? checkpoints.error.message : undefined)}
    >
      <Select<number>
        id="passage-checkpoint-select"
        data-testid="passage-checkpoint-select"
        size="large"
        showSearch={{ optionFilterProp: 'label' }}
        loading={checkpoints.isLoading}
        placeholder={t('passages.pickCheckpoint')}
        value={value}
        notFoundContent={t('passages.noCheckpoints')}
        options={(openCheckpoints ?? []).map((c) => ({ value: c.id, label: `${c.name} · ${c.node.name}` }))}
        onChange={(id) => {
          keep(String(id));
          onChange(id);
          setPicking(false);
        }}
      />
    </Form.Item>
  );
}

export default function PassageNewPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const faultText = useFaultText();
  const qc = useQueryClient();
  const { me } = useAuth();
  // Each account its own outbox: what one registered is sent in their name, not the next to sign in.
  const storageKey = outboxKeyOf(me.user.id);
  const store = useMemo(() => browserStore(), []);
  const outbox = useMemo(
    () => new Outbox<Body>(store, { storageKey, online: () => navigator.onLine !== false }),
    [store, storageKey],
  );
  const entries = useOutbox(outbox, store, storageKey);
  const [draft, setDraft] = useState<PassageDraft>(() => newDraft(uid()));
  const [faults, setFaults] = useState<Record<string, Fault>>({});
  const [allProvinces, setAllProvinces] = useState(false);
  const [sending, setSending] = useState(false);
  const [destKind, setDestKind] = useState<'node' | 'region'>('node');
  const plateRef = useRef<HTMLInputElement>(null);
  const asked = useRef(new Set<string>());

  const patch = (p: Partial<PassageDraft>) => setDraft((d) => ({ ...d, ...p }));
  const patchRow = (i: number, p: Partial<PersonRow>) =>
    setDraft((d) => ({ ...d, people: d.people.map((r, j) => (j === i ? { ...r, ...p } : r)) }));
  const setCheckpoint = useCallback((id: number) => setDraft((d) => ({ ...d, checkpointId: id })), []);

  const send = useCallback((e: Entry) => createPassage(e.body, e.key), []);

  /** Sends what waits; says how many went when some did (and were not the one just registered). */
  const flush = useCallback(
    async (quiet = false) => {
      setSending(true);
      try {
        const r = await outbox.flush<PassageView>(send);
        if (r.sent > 0) void qc.invalidateQueries({ queryKey: passageKeys.all });
        if (!quiet && r.sent > 0) void message.success(t('passages.sentN', { n: r.sent }));
        if (!quiet && r.rejected > 0) void message.error(t('passages.rejectedN', { n: r.rejected }));
        return r;
      } finally {
        setSending(false);
      }
    },
    [outbox, send, qc, message, t],
  );

  useEffect(() => {
    void flush();
    return retryWhenOnline(window, () => void flush(), RETRY_MS);
  }, [flush]);

  /** A plate seen before fills in what is still empty. */
  const recallPlate = (plate: string) => {
    const r = parsePlate(plate);
    if (!r.ok || asked.current.has(`p:${r.value.value}`)) return;
    asked.current.add(`p:${r.value.value}`);
    void qc
      .fetchQuery({
        queryKey: passageKeys.recall('plate', r.value.value),
        queryFn: ({ signal }) => fetchRecall('plate', r.value.value, signal),
        staleTime: 60_000,
      })
      .then((found) => {
        if (found.people.length === 0 && !found.vehicleType) return;
        setDraft((d) => {
          const now = parsePlate(d.plate);
          return now.ok && now.value.value === r.value.value ? applyPlateRecall(d, found, uid) : d;
        });
        void message.info(t('passages.recalled'));
      })
      .catch(() => undefined);
  };

  const recallId = (index: number, idNumber: string) => {
    if (asked.current.has(`i:${idNumber}`)) return;
    asked.current.add(`i:${idNumber}`);
    void qc
      .fetchQuery({
        queryKey: passageKeys.recall('idNumber', idNumber),
        queryFn: ({ signal }) => fetchRecall('idNumber', idNumber, signal),
        staleTime: 60_000,
      })
      .then((found) =>
        setDraft((d) => (d.people[index]?.idNumber === idNumber ? applyIdRecall(d, index, found) : d)),
      )
      .catch(() => undefined);
  };

  const focusPlate = () => setTimeout(() => plateRef.current?.focus(), 0);

  const submit = async () => {
    const found = checkDraft(draft, today());
    setFaults(found);
    if (Object.keys(found).length > 0 || draft.checkpointId === undefined) {
      void message.error(t('common.fixFields'));
      focusField(Object.keys(found)[0]);
      return;
    }
    const sent = draft;
    const entry = newEntry<CreatePassageInput>(toBody(draft, draft.checkpointId), {
      key: uid(),
      now: new Date(),
      meta: sent,
    });
    // Kept before it is sent: a crash or a lost answer loses nothing.
    outbox.put(entry);
    setDraft(newDraft(uid(), { checkpointId: sent.checkpointId, direction: sent.direction }));
    setFaults({});
    focusPlate();
    const r = await flush(true);
    const outcome = r.outcomes.get(entry.key);
    if (outcome?.kind === 'sent') {
      if (outcome.result.risky) void message.warning(t('passages.registeredRisky'));
      else void message.success(t('passages.registered'));
      if (r.sent > 1) void message.success(t('passages.sentN', { n: r.sent - 1 }));
    } else if (outcome?.kind === 'rejected') {
      // Back into the form to correct, unless the next car is already being typed.
      setDraft((d) => {
        const untouched = !d.plate.trim() && d.people.every((p) => !p.name.trim() && !p.idNumber.trim());
        if (!untouched) return d;
        outbox.remove(entry.key);
        return sent;
      });
      const byPath: Record<string, Fault> = {};
      for (const i of outcome.problem.issues)
        byPath[fieldPath(i.path)] = { text: 'server', message: i.message };
      setFaults(byPath);
      focusField(Object.keys(byPath)[0]);
      void message.error(outcome.problem.title);
    } else {
      void message.info(t('passages.queued'));
    }
  };

  const editRejected = (e: Entry) => {
    outbox.remove(e.key);
    const meta = e.meta as PassageDraft | undefined;
    if (meta && Array.isArray(meta.people)) setDraft(meta);
    const byPath: Record<string, Fault> = {};
    for (const i of e.problem?.issues ?? [])
      byPath[fieldPath(i.path)] = { text: 'server', message: i.message };
    setFaults(byPath);
    window.scrollTo({ top: 0 });
  };

  const plateFault = faults.plate ?? livePlateFault(draft.plate);
  const onEnter = (el: HTMLElement) => focusNext(el, () => void submit());
  const typedChars = [...draft.plate];
  const quick = allProvinces ? PLATE_QUICK_PICKS : PLATE_QUICK_PICKS.slice(0, QUICK_SHOWN);

  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('passages.newTitle')}</h1>
        <Link to="/passages" className="linli-link-button">
          {t('passages.searchTitle')}
        </Link>
      </div>
      <Form layout="vertical" component="div" className="linli-passage-form" data-testid="passage-form">
        <OutboxPanel
          entries={entries}
          sending={sending}
          onSend={() => void flush()}
          onEdit={editRejected}
          onDiscard={(e) => outbox.remove(e.key)}
        />
        <CheckpointChoice
          value={draft.checkpointId}
          onChange={setCheckpoint}
          fault={faultText(faults.checkpointId)}
        />
        <div className="linli-passage-directions" role="group" aria-label={t('passages.directionLabel')}>
          {(['in', 'out'] as const).map((d) => (
            <Button
              key={d}
              data-testid={`passage-direction-${d}`}
              type={draft.direction === d ? 'primary' : 'default'}
              aria-pressed={draft.direction === d}
              onClick={() => patch({ direction: d })}
            >
              {t(`passages.directionLong.${d}`)}
            </Button>
          ))}
        </div>
        <Form.Item
          label={t('passages.plate')}
          htmlFor="passage-plate"
          validateStatus={plateFault ? 'error' : undefined}
          help={faultText(plateFault) ?? t('passages.plateHint')}
        >
          <div className="linli-chip-row" style={{ marginBottom: 6 }} data-testid="passage-plate-provinces">
            {quick.map((c) => (
              <Button
                key={c}
                type={typedChars[0] === c ? 'primary' : 'default'}
                onClick={() => {
                  const rest = PLATE_QUICK_PICKS.includes(typedChars[0] ?? '')
                    ? typedChars.slice(1).join('')
                    : draft.plate;
                  patch({ plate: c + rest });
                  setAllProvinces(false);
                  focusPlate();
                }}
              >
                {c}
              </Button>
            ))}
            <Button type="link" onClick={() => setAllProvinces((v) => !v)} data-testid="passage-plate-more">
              {allProvinces ? t('passages.fewerProvinces') : t('passages.moreProvinces')}
            </Button>
          </div>
          <Input
            ref={(el) => {
              plateRef.current = el?.input ?? null;
            }}
            id="passage-plate"
            data-testid="passage-plate"
            data-enter
            className="linli-plate-input"
            size="large"
            maxLength={12}
            autoComplete="off"
            autoCapitalize="characters"
            enterKeyHint="next"
            value={draft.plate}
            onChange={(e) => {
              const v = e.target.value.toUpperCase();
              patch({ plate: v });
              if (faults.plate) setFaults(({ plate: _p, ...rest }) => rest);
              if (parsePlate(v).ok) recallPlate(v);
            }}
            onPressEnter={(e) => {
              e.preventDefault();
              onEnter(e.currentTarget);
            }}
          />
        </Form.Item>
        <Form.Item label={t('passages.vehicleType')}>
          <div className="linli-chip-row" data-testid="passage-vehicle">
            {VEHICLE_TYPES.map((v) => (
              <Button
                key={v}
                data-testid={`passage-vehicle-${v}`}
                type={draft.vehicleType === v ? 'primary' : 'default'}
                aria-pressed={draft.vehicleType === v}
                onClick={() => patch({ vehicleType: draft.vehicleType === v ? null : v })}
              >
                {t(`passages.vehicle.${v}`)}
              </Button>
            ))}
          </div>
        </Form.Item>
        {draft.people.map((row, i) => (
          <PersonFields
            key={row.uid}
            row={row}
            index={i}
            count={draft.people.length}
            faults={faults}
            onChange={(p) => patchRow(i, p)}
            onRemove={() => setDraft((d) => ({ ...d, people: d.people.filter((_r, j) => j !== i) }))}
            onIdComplete={(id) => recallId(i, id)}
            onEnter={onEnter}
          />
        ))}
        <Button
          size="large"
          icon={<PlusOutlined />}
          data-testid="passage-add-person"
          onClick={() => {
            setDraft((d) => ({ ...d, people: [...d.people, newRow(uid())] }));
            setTimeout(() => {
              const names = document.querySelectorAll<HTMLInputElement>('[data-testid$="-name"][data-enter]');
              names[names.length - 1]?.focus();
            }, 0);
          }}
          disabled={draft.people.length >= 60}
        >
          {t('passages.addPerson')}
        </Button>
        <Form.Item label={t('passages.origin')} htmlFor="passage-origin">
          <RegionPicker
            id="passage-origin"
            data-testid="passage-origin"
            value={draft.origin}
            onChange={(r) => patch({ origin: r })}
          />
        </Form.Item>
        <Form.Item label={t('passages.destination')}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Segmented<'node' | 'region'>
              block
              data-testid="passage-destination-kind"
              value={draft.destination?.kind ?? destKind}
              onChange={(k) => {
                setDestKind(k);
                patch({ destination: null });
              }}
              options={[
                { value: 'node', label: t('passages.destInside') },
                { value: 'region', label: t('passages.destOutside') },
              ]}
            />
            {(draft.destination?.kind ?? destKind) === 'node' ? (
              <PlacePicker
                id="passage-destination-node"
                data-testid="passage-destination-node"
                aria-label={t('passages.destInside')}
                value={draft.destination?.kind === 'node' ? draft.destination : null}
                placeholder={t('passages.destNodePlaceholder')}
                onChange={(place) => patch({ destination: place ? { kind: 'node', ...place } : null })}
              />
            ) : (
              <RegionPicker
                data-testid="passage-destination-region"
                aria-label={t('passages.destOutside')}
                value={draft.destination?.kind === 'region' ? draft.destination.region : null}
                onChange={(r) => patch({ destination: r ? { kind: 'region', region: r } : null })}
              />
            )}
          </Space>
        </Form.Item>
        <Form.Item label={t('passages.purpose')} htmlFor="passage-purpose">
          <Input
            id="passage-purpose"
            data-testid="passage-purpose"
            data-enter
            size="large"
            maxLength={200}
            enterKeyHint="send"
            value={draft.purpose}
            onChange={(e) => patch({ purpose: e.target.value })}
            onPressEnter={(e) => {
              e.preventDefault();
              onEnter(e.currentTarget);
            }}
          />
        </Form.Item>
        {faults[''] && <Alert type="error" title={faultText(faults[''])} />}
        <Button
          type="primary"
          block
          className="linli-passage-submit"
          data-testid="passage-submit"
          onClick={() => void submit()}
        >
          {t('passages.submit')}
        </Button>
      </Form>
    </div>
  );
}
