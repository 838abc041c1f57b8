// Register a person (POST /api/people) or edit one (PATCH /api/people/:id). ID and phone numbers are
// checked in the browser with the same validators as the server; the server's issues land on the fields.
import { useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { App, Button, Col, Form, Input, Modal, Row, Select } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  createPerson,
  householdKeys,
  updatePerson,
  useHouseholdPick,
  peopleKeys,
  type CreatePersonInput,
  type Gender,
  type NoIdReason,
  type PersonDetail,
  type ResidenceType,
  type UpdatePersonInput,
} from '../../api/people.js';
import type { NodeSummary } from '../../api/types.js';
import { useJurisdiction } from '../../app/jurisdiction.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { NodeTreeSelect } from '../../app/components/NodeTreeSelect.js';
import { LIMITS } from '../../../common/limits.js';
import { normalizePhone, parseIdNumber } from '../../../common/validators.js';
import {
  NO_ID_REASONS,
  RESIDENCE_TYPES,
  useBilingualReason,
  useNoIdLabel,
  useResidenceLabel,
  useTagName,
} from './labels.js';

export interface PersonFormValues {
  name: string;
  idNumber?: string;
  noIdReason?: NoIdReason | null;
  phone?: string;
  gender?: Gender | null;
  birthDate?: string;
  ethnicity?: string;
  nodeId?: number;
  householdId?: number | null;
  relationToHead?: string;
  address?: string;
  residenceType?: ResidenceType;
  arrivalDate?: string;
  originRegion?: string;
  tags?: string[];
  notes?: string;
}

const FIELDS = [
  'name',
  'idNumber',
  'noIdReason',
  'phone',
  'gender',
  'birthDate',
  'ethnicity',
  'nodeId',
  'householdId',
  'relationToHead',
  'address',
  'residenceType',
  'arrivalDate',
  'originRegion',
  'tags',
  'notes',
] as const;

const GRID_LEVELS = new Set(['grid', 'microgrid']);
const today = () => new Date().toISOString().slice(0, 10);
const str = (v: string | undefined | null): string | null => {
  const s = v?.trim();
  return s ? s : null;
};

/** The form's values as the API's fields: empty text is null, ID and phone only when typed. */
function toBody(v: PersonFormValues): CreatePersonInput {
  const body: Record<string, unknown> = {
    name: v.name.trim(),
    noIdReason: str(v.idNumber) ? null : (v.noIdReason ?? null),
    gender: v.gender ?? null,
    birthDate: str(v.birthDate),
    ethnicity: str(v.ethnicity),
    nodeId: v.nodeId,
    householdId: v.householdId ?? null,
    relationToHead: str(v.relationToHead),
    address: str(v.address),
    residenceType: v.residenceType,
    arrivalDate: str(v.arrivalDate),
    originRegion: str(v.originRegion),
    tags: v.tags ?? [],
    notes: str(v.notes),
  };
  const id = str(v.idNumber);
  if (id) body.idNumber = id;
  const phone = str(v.phone);
  if (phone) body.phone = phone;
  return body as CreatePersonInput;
}

function fromPerson(p: PersonDetail): PersonFormValues {
  return {
    name: p.name,
    noIdReason: p.noIdReason,
    gender: p.gender,
    birthDate: p.birthDate ?? undefined,
    ethnicity: p.ethnicity ?? undefined,
    nodeId: p.node.id,
    householdId: p.householdId,
    relationToHead: p.relationToHead ?? undefined,
    address: p.address ?? undefined,
    residenceType: p.residenceType,
    arrivalDate: p.arrivalDate ?? undefined,
    originRegion: p.originRegion ?? undefined,
    tags: p.tags,
    notes: p.notes ?? undefined,
  };
}

/** Only what changed, so that the history records the real edit. */
function diff(before: CreatePersonInput, after: CreatePersonInput): UpdatePersonInput {
  const out: Record<string, unknown> = {};
  const a = after as Record<string, unknown>;
  const b = before as Record<string, unknown>;
  for (const k of Object.keys(a)) {
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) out[k] = a[k];
  }
  return out;
}

/** The jurisdiction picker for a person's grid; remembers the level of what was picked. */
function GridSelect({
  value,
  onChange,
  valueLabel,
  onPicked,
  id,
}: {
  id?: string;
  value?: number;
  onChange?: (v: number | undefined) => void;
  valueLabel?: string;
  onPicked: (n: NodeSummary | undefined) => void;
}) {
  return (
    <NodeTreeSelect
      id={id}
      data-testid="person-form-node"
      value={value}
      valueLabel={valueLabel}
      onChange={(nodeId, n) => {
        onPicked(n);
        onChange?.(nodeId);
      }}
    />
  );
}

/** Households of the chosen grid, searched by address or head's name. */
function HouseholdSelect({
  id,
  value,
  onChange,
  node,
  initialLabel,
}: {
  id?: string;
  value?: number | null;
  onChange?: (v: number | null) => void;
  node: number | undefined;
  initialLabel?: string;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const list = useHouseholdPick(node, q);
  const options = (list.data?.items ?? []).map((h) => ({
    value: h.id,
    label: [h.headName, h.address].filter(Boolean).join(' · ') || `#${h.id}`,
  }));
  if (value != null && !options.some((o) => o.value === value)) {
    options.unshift({ value, label: initialLabel ?? `#${value}` });
  }
  return (
    <Select<number>
      id={id}
      data-testid="person-form-household"
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      allowClear
      showSearch={{ filterOption: false, onSearch: (s) => setQ(s.trim()) }}
      loading={list.isFetching}
      options={options}
      placeholder={t('people.householdPlaceholder')}
      notFoundContent={list.isError ? list.error.message : t('common.noResults')}
    />
  );
}

export function PersonFormModal({
  open,
  person,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** Editing this person; registering a new one when absent. */
  person?: PersonDetail;
  onClose: () => void;
  onSaved?: (saved: PersonDetail) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const onError = useFormErrorHandler();
  const { node } = useJurisdiction();
  const residenceLabel = useResidenceLabel();
  const noIdLabel = useNoIdLabel();
  const reasonText = useBilingualReason();
  const { name: tagName, tags } = useTagName();
  const [form] = Form.useForm<PersonFormValues>();
  const levels = useRef(new Map<number, string>());
  const editing = person !== undefined;

  const initialValues = useMemo<PersonFormValues>(() => {
    if (person) return fromPerson(person);
    const gridDefault = node && GRID_LEVELS.has(node.level) ? node.id : undefined;
    return { name: '', nodeId: gridDefault, residenceType: 'registered', tags: [] };
  }, [person, node]);

  const idNumber = Form.useWatch('idNumber', form);
  const residenceType = Form.useWatch('residenceType', form);
  const nodeId = Form.useWatch('nodeId', form);
  const hasStoredId = editing && person.idNumber !== null;
  const needsNoIdReason = !str(idNumber) && !hasStoredId;
  const showArrival = residenceType === 'floating' || residenceType === 'returnee';

  const save = useMutation({
    mutationFn: async (v: PersonFormValues) => {
      const body = toBody(v);
      if (!person) return createPerson(body);
      const changes = diff(toBody(fromPerson(person)), body);
      if (Object.keys(changes).length === 0) return person;
      return updatePerson(person.id, changes);
    },
    onSuccess: async (saved) => {
      void message.success(editing ? t('common.saved') : t('people.created'));
      qc.setQueryData(peopleKeys.detail(saved.id), saved);
      onSaved?.(saved);
      onClose();
      if (!editing) void navigate(`/people/${saved.id}`);
      await Promise.all([
        qc.invalidateQueries({ queryKey: peopleKeys.all }),
        qc.invalidateQueries({ queryKey: householdKeys.all }),
      ]);
    },
    onError: (e) => onError(e, form, FIELDS),
  });

  const tagOptions = tags
    .filter((x) => !x.retired || (person?.tags.includes(x.code) ?? false))
    .map((x) => ({ value: x.code, label: tagName(x.code) }));

  return (
    <Modal
      open={open}
      title={editing ? t('people.editTitle', { name: person.name }) : t('people.create')}
      onCancel={onClose}
      footer={null}
      width={760}
      destroyOnHidden
    >
      <Form<PersonFormValues>
        form={form}
        layout="vertical"
        preserve={false}
        data-testid="person-form"
        initialValues={initialValues}
        onFinish={(v) => save.mutate(v)}
        onValuesChange={(changed: Partial<PersonFormValues>) => {
          // A valid ID number tells the birth date and gender: fill them in when still empty.
          if (changed.idNumber === undefined) return;
          const r = parseIdNumber(changed.idNumber, today());
          if (!r.ok) return;
          const cur: Pick<PersonFormValues, 'gender' | 'birthDate'> = {
            gender: form.getFieldValue('gender') as Gender | null | undefined,
            birthDate: form.getFieldValue('birthDate') as string | undefined,
          };
          const patch: Partial<PersonFormValues> = {};
          if (!cur.gender) patch.gender = r.value.gender;
          if (!cur.birthDate) patch.birthDate = r.value.birthDate;
          if (Object.keys(patch).length > 0) form.setFieldsValue(patch);
        }}
      >
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <Form.Item
              name="name"
              label={t('people.name')}
              rules={[{ required: true, whitespace: true, message: t('common.required') }]}
            >
              <Input data-testid="person-form-name" maxLength={LIMITS.name} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="residenceType"
              label={t('people.residenceType')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <Select<ResidenceType>
                data-testid="person-form-type"
                options={RESIDENCE_TYPES.map((v) => ({ value: v, label: residenceLabel(v) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="idNumber"
              label={t('people.idNumber')}
              extra={hasStoredId ? t('people.keepWhenEmpty', { value: person.idNumber }) : undefined}
              rules={[
                {
                  validator: (_r, v: string | undefined) => {
                    const r = str(v) ? parseIdNumber(v!, today()) : null;
                    return r && !r.ok ? Promise.reject(new Error(reasonText(r.reason))) : Promise.resolve();
                  },
                },
              ]}
            >
              <Input
                data-testid="person-form-idnumber"
                maxLength={18}
                autoComplete="off"
                placeholder={hasStoredId ? (person.idNumber ?? '') : t('people.idNumberPlaceholder')}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="phone"
              label={t('people.phone')}
              extra={editing && person.phone ? t('people.keepWhenEmpty', { value: person.phone }) : undefined}
              rules={[
                {
                  validator: (_r, v: string | undefined) => {
                    const r = str(v) ? normalizePhone(v!) : null;
                    return r && !r.ok ? Promise.reject(new Error(reasonText(r.reason))) : Promise.resolve();
                  },
                },
              ]}
            >
              <Input
                data-testid="person-form-phone"
                inputMode="tel"
                maxLength={20}
                autoComplete="off"
                placeholder={editing && person.phone ? person.phone : undefined}
              />
            </Form.Item>
          </Col>
          {needsNoIdReason && (
            <Col xs={24} md={12}>
              <Form.Item
                name="noIdReason"
                label={t('people.noIdReason')}
                rules={[{ required: true, message: t('people.noIdReasonRequired') }]}
              >
                <Select<NoIdReason>
                  data-testid="person-form-noidreason"
                  placeholder={t('people.noIdReasonPlaceholder')}
                  options={NO_ID_REASONS.map((v) => ({ value: v, label: noIdLabel(v) }))}
                />
              </Form.Item>
            </Col>
          )}
          <Col xs={12} md={6}>
            <Form.Item name="gender" label={t('people.gender')}>
              <Select<Gender>
                data-testid="person-form-gender"
                allowClear
                options={[
                  { value: 'male', label: t('people.male') },
                  { value: 'female', label: t('people.female') },
                ]}
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="ethnicity" label={t('people.ethnicity')}>
              <Input data-testid="person-form-ethnicity" maxLength={20} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="birthDate" label={t('people.birthDate')}>
              <Input data-testid="person-form-birthdate" type="date" max={today()} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="nodeId"
              label={t('people.grid')}
              rules={[
                { required: true, message: t('common.required') },
                {
                  validator: (_r, v: number | undefined) => {
                    const level =
                      v === undefined
                        ? undefined
                        : (levels.current.get(v) ?? (node?.id === v ? node.level : undefined));
                    return level && !GRID_LEVELS.has(level)
                      ? Promise.reject(new Error(t('people.pickGrid')))
                      : Promise.resolve();
                  },
                },
              ]}
            >
              <GridSelect
                valueLabel={person?.node.name ?? node?.name}
                onPicked={(n) => {
                  if (n) levels.current.set(n.id, n.level);
                }}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="address" label={t('people.address')}>
              <Input data-testid="person-form-address" maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="householdId" label={t('people.household')}>
              <HouseholdSelect node={nodeId} initialLabel={person?.household?.address ?? undefined} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="relationToHead" label={t('people.relationToHead')}>
              <Input data-testid="person-form-relation" maxLength={20} />
            </Form.Item>
          </Col>
          {showArrival && (
            <>
              <Col xs={24} md={12}>
                <Form.Item name="originRegion" label={t('people.originRegion')}>
                  <Input data-testid="person-form-origin" maxLength={100} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="arrivalDate" label={t('people.arrivalDate')}>
                  <Input data-testid="person-form-arrival" type="date" />
                </Form.Item>
              </Col>
            </>
          )}
          <Col xs={24}>
            <Form.Item name="tags" label={t('people.tags')}>
              <Select<string[]>
                data-testid="person-form-tags"
                mode="multiple"
                allowClear
                maxCount={20}
                options={tagOptions}
                showSearch={{ optionFilterProp: 'label' }}
              />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="notes" label={t('people.notes')}>
              <Input.TextArea
                data-testid="person-form-notes"
                maxLength={2000}
                autoSize={{ minRows: 2, maxRows: 6 }}
              />
            </Form.Item>
          </Col>
        </Row>
        <Button
          type="primary"
          htmlType="submit"
          block
          loading={save.isPending}
          data-testid="person-form-submit"
        >
          {editing ? t('common.save') : t('people.register')}
        </Button>
      </Form>
    </Modal>
  );
}
