// /events/settings — what joint handling runs on: the category taxonomy with each sub-category's
// handling level, responsible department kinds and time limits; the departments of the chosen
// jurisdiction and their handlers; the work calendar's holidays and make-up working days.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Button,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  type TableColumnsType,
} from 'antd';
import { useTranslation } from 'react-i18next';
import {
  DEPARTMENT_KINDS,
  DEPARTMENT_KIND_LABELS,
  OWNER_LEVEL_CODES,
} from '../../../common/contracts/events.js';
import { useUserPick } from '../../api/accounts.js';
import {
  addDepartmentMember,
  calendarKeys,
  createDepartment,
  deleteCalendarDay,
  eventKeys,
  putCalendarDay,
  removeDepartmentMember,
  updateCategory,
  useCategories,
  useDepartments,
  useWorkCalendar,
  type CalendarDay,
  type Department,
  type EventCategory,
  type UpdateCategoryInput,
} from '../../api/events.js';
import { useAuth } from '../../app/auth.js';
import { useLabel } from '../../app/format.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { useJurisdiction } from '../../app/jurisdiction.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { useEventLabels } from './labels.js';

function CategoryLimitsModal({ category, onClose }: { category: EventCategory | null; onClose: () => void }) {
  const { t } = useTranslation();
  const label = useLabel();
  const qc = useQueryClient();
  const [form] = Form.useForm<{
    signHours: number;
    handleHours: number;
    verifyHours: number;
    handlingLevel: EventCategory['handlingLevel'];
    isPublic: boolean;
    departmentKinds: string[];
  }>();
  const onError = useFormErrorHandler();
  const levels = useEventLabels();
  const save = useMutation({
    // The form's required rules leave no null in what it submits.
    mutationFn: (v: object) => updateCategory(category?.id ?? 0, v as UpdateCategoryInput),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: eventKeys.categories });
      onClose();
    },
    onError: (e) =>
      onError(e, form, [
        'signHours',
        'handleHours',
        'verifyHours',
        'handlingLevel',
        'isPublic',
        'departmentKinds',
      ]),
  });
  if (!category) return null;
  return (
    <Modal
      open
      title={label({ zh: category.nameZh, en: category.nameEn })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: save.isPending, 'data-testid': 'category-save' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={category} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="handlingLevel" label={t('settings.handlingLevel')} rules={[{ required: true }]}>
          <Select options={OWNER_LEVEL_CODES.map((l) => ({ value: l, label: levels.level(l) }))} />
        </Form.Item>
        <Form.Item name="departmentKinds" label={t('settings.departmentKinds')}>
          <Select
            mode="multiple"
            options={DEPARTMENT_KINDS.map((k) => ({ value: k, label: label(DEPARTMENT_KIND_LABELS[k]) }))}
          />
        </Form.Item>
        <Space wrap>
          <Form.Item name="signHours" label={t('settings.signHours')} rules={[{ required: true }]}>
            <InputNumber data-testid="category-sign-hours" min={0.5} max={2000} step={0.5} />
          </Form.Item>
          <Form.Item name="handleHours" label={t('settings.handleHours')} rules={[{ required: true }]}>
            <InputNumber min={0.5} max={2000} step={0.5} />
          </Form.Item>
          <Form.Item name="verifyHours" label={t('settings.verifyHours')} rules={[{ required: true }]}>
            <InputNumber min={0.5} max={2000} step={0.5} />
          </Form.Item>
        </Space>
        <Form.Item name="isPublic" label={t('settings.isPublic')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CategoriesTab({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const label = useLabel();
  const levels = useEventLabels();
  const categories = useCategories();
  const [editing, setEditing] = useState<EventCategory | null>(null);
  const items = categories.data?.items ?? [];
  const groups = items
    .filter((c) => c.parentId === null)
    .map((g) => ({ ...g, children: items.filter((c) => c.parentId === g.id) }));
  const columns: TableColumnsType<EventCategory & { children?: EventCategory[] }> = [
    {
      title: t('events.category'),
      key: 'name',
      render: (_v, c) => (
        <span data-testid={`category-${c.code}`}>{label({ zh: c.nameZh, en: c.nameEn })}</span>
      ),
    },
    {
      title: t('settings.handlingLevel'),
      key: 'level',
      render: (_v, c) => (c.handlingLevel ? levels.level(c.handlingLevel) : ''),
    },
    {
      title: t('settings.departmentKinds'),
      key: 'kinds',
      render: (_v, c) =>
        c.departmentKinds.map((k) => (
          <Tag key={k}>
            {label(DEPARTMENT_KIND_LABELS[k as keyof typeof DEPARTMENT_KIND_LABELS] ?? { zh: k, en: k })}
          </Tag>
        )),
    },
    {
      title: t('settings.limits'),
      key: 'limits',
      render: (_v, c) => (c.signHours ? `${c.signHours} / ${c.handleHours} / ${c.verifyHours} h` : ''),
    },
    {
      title: t('settings.isPublic'),
      key: 'pub',
      render: (_v, c) => (c.parentId !== null && c.isPublic ? '✓' : ''),
    },
    ...(canEdit
      ? [
          {
            title: t('common.actions'),
            key: 'act',
            render: (_v: unknown, c: EventCategory) =>
              c.parentId !== null && (
                <Button size="small" data-testid={`category-edit-${c.code}`} onClick={() => setEditing(c)}>
                  {t('common.edit')}
                </Button>
              ),
          },
        ]
      : []),
  ];
  return (
    <>
      {categories.isError && <ErrorAlert error={categories.error} />}
      <Table
        key={groups.length}
        data-testid="categories-table"
        rowKey="id"
        size="small"
        loading={categories.isLoading}
        columns={columns}
        dataSource={groups}
        pagination={false}
        expandable={{ defaultExpandAllRows: true }}
      />
      <CategoryLimitsModal category={editing} onClose={() => setEditing(null)} />
    </>
  );
}

function DepartmentsTab() {
  const { t } = useTranslation();
  const label = useLabel();
  const qc = useQueryClient();
  const { node } = useJurisdiction();
  const { can } = useAuth();
  const departments = useDepartments(node?.id);
  const onError = useFormErrorHandler();
  const [form] = Form.useForm<{ kind: Department['kind']; name: string }>();
  const [adding, setAdding] = useState<Department | null>(null);
  const [userQuery, setUserQuery] = useState('');
  const users = useUserPick(node?.id, userQuery, adding !== null && can('users.read'));
  const refresh = () => void qc.invalidateQueries({ queryKey: eventKeys.allDepartments });
  const create = useMutation({
    mutationFn: (v: { kind: Department['kind']; name: string }) =>
      createDepartment({ ...v, nodeId: node?.id ?? 0 }),
    onSuccess: () => {
      form.resetFields();
      refresh();
    },
    onError: (e) => onError(e, form, ['kind', 'name', 'nodeId']),
  });
  const addMember = useMutation({
    mutationFn: (v: { id: number; userId: number }) => addDepartmentMember(v.id, v.userId),
    onSuccess: () => {
      setAdding(null);
      refresh();
    },
    onError: (e) => onError(e),
  });
  const removeMember = useMutation({
    mutationFn: (v: { id: number; userId: number }) => removeDepartmentMember(v.id, v.userId),
    onSuccess: refresh,
    onError: (e) => onError(e),
  });
  const columns: TableColumnsType<Department> = [
    { title: t('settings.departmentName'), dataIndex: 'name', key: 'name' },
    { title: t('settings.kind'), key: 'kind', render: (_v, d) => label(DEPARTMENT_KIND_LABELS[d.kind]) },
    { title: t('events.place'), key: 'node', render: (_v, d) => d.node.name },
    {
      title: t('settings.members'),
      key: 'members',
      render: (_v, d) => (
        <Space wrap size={4}>
          {d.members.map((m) => (
            <Tag
              key={m.id}
              closable={can('departments.manage')}
              onClose={(e) => (e.preventDefault(), removeMember.mutate({ id: d.id, userId: m.id }))}
            >
              {m.displayName}（{m.username}）
            </Tag>
          ))}
          {can('departments.manage') && (
            <Button
              size="small"
              type="dashed"
              data-testid={`department-add-member-${d.id}`}
              onClick={() => setAdding(d)}
            >
              + {t('settings.addMember')}
            </Button>
          )}
        </Space>
      ),
    },
  ];
  return (
    <>
      {can('departments.manage') && node && (
        <Form
          form={form}
          layout="inline"
          onFinish={(v) => create.mutate(v)}
          style={{ marginBottom: 12 }}
          data-testid="department-form"
        >
          <Form.Item name="kind" rules={[{ required: true }]}>
            <Select
              placeholder={t('settings.kind')}
              style={{ width: 180 }}
              options={DEPARTMENT_KINDS.map((k) => ({ value: k, label: label(DEPARTMENT_KIND_LABELS[k]) }))}
            />
          </Form.Item>
          <Form.Item name="name" rules={[{ required: true, max: 100 }]}>
            <Input placeholder={t('settings.departmentName')} maxLength={100} />
          </Form.Item>
          <Button htmlType="submit" type="primary" loading={create.isPending}>
            {t('settings.addDepartmentAt', { name: node.name })}
          </Button>
        </Form>
      )}
      {departments.isError && <ErrorAlert error={departments.error} />}
      <Table
        data-testid="departments-table"
        rowKey="id"
        size="small"
        loading={departments.isLoading}
        columns={columns}
        dataSource={departments.data?.items ?? []}
        pagination={{ pageSize: 50 }}
      />
      <Modal
        open={adding !== null}
        title={t('settings.addMember')}
        footer={null}
        onCancel={() => setAdding(null)}
        destroyOnHidden
      >
        <Select
          showSearch
          style={{ width: '100%' }}
          data-testid="member-pick"
          aria-label={t('settings.addMember')}
          filterOption={false}
          onSearch={setUserQuery}
          loading={users.isFetching}
          placeholder={t('settings.searchUser')}
          options={(users.data?.items ?? []).map((u) => ({
            value: u.id,
            label: `${u.displayName}（${u.username}）`,
          }))}
          onChange={(userId: number) => adding && addMember.mutate({ id: adding.id, userId })}
        />
      </Modal>
    </>
  );
}

function CalendarTab({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const onError = useFormErrorHandler();
  const [form] = Form.useForm<{
    day: { format: (f: string) => string };
    kind: 'holiday' | 'workday';
    name: string;
  }>();
  const days = useWorkCalendar();
  const put = useMutation({
    mutationFn: (v: { day: string; kind: 'holiday' | 'workday'; name: string }) =>
      putCalendarDay(v.day, { kind: v.kind, name: v.name }),
    onSuccess: () => {
      form.resetFields();
      void qc.invalidateQueries({ queryKey: calendarKeys.all });
    },
    onError: (e) => onError(e, form, ['kind', 'name']),
  });
  const remove = useMutation({
    mutationFn: deleteCalendarDay,
    onSuccess: () => void qc.invalidateQueries({ queryKey: calendarKeys.all }),
    onError: (e) => onError(e),
  });
  const columns: TableColumnsType<CalendarDay> = [
    { title: t('settings.day'), dataIndex: 'day', key: 'day' },
    {
      title: t('settings.kind'),
      key: 'kind',
      render: (_v, d) =>
        d.kind === 'holiday' ? (
          <Tag color="red">{t('settings.holiday')}</Tag>
        ) : (
          <Tag color="blue">{t('settings.workday')}</Tag>
        ),
    },
    { title: t('settings.dayName'), dataIndex: 'name', key: 'name' },
    ...(canEdit
      ? [
          {
            title: t('common.actions'),
            key: 'act',
            render: (_v: unknown, d: CalendarDay) => (
              <Popconfirm title={t('settings.removeDay')} onConfirm={() => remove.mutate(d.day)}>
                <Button size="small" danger>
                  {t('common.remove')}
                </Button>
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];
  return (
    <>
      {canEdit && (
        <Form
          form={form}
          layout="inline"
          style={{ marginBottom: 12 }}
          onFinish={(v) => put.mutate({ day: v.day.format('YYYY-MM-DD'), kind: v.kind, name: v.name })}
          data-testid="calendar-form"
        >
          <Form.Item name="day" rules={[{ required: true }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="kind" rules={[{ required: true }]} initialValue="holiday">
            <Select
              style={{ width: 160 }}
              options={[
                { value: 'holiday', label: t('settings.holiday') },
                { value: 'workday', label: t('settings.workday') },
              ]}
            />
          </Form.Item>
          <Form.Item name="name" rules={[{ required: true, max: 50 }]}>
            <Input placeholder={t('settings.dayName')} maxLength={50} />
          </Form.Item>
          <Button htmlType="submit" type="primary" loading={put.isPending}>
            {t('common.add')}
          </Button>
        </Form>
      )}
      {days.isError && <ErrorAlert error={days.error} />}
      <Table
        data-testid="calendar-table"
        rowKey="day"
        size="small"
        loading={days.isLoading}
        columns={columns}
        dataSource={days.data?.items ?? []}
        pagination={{ pageSize: 50 }}
      />
    </>
  );
}

export default function EventSettingsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('settings.title')}</h1>
      </div>
      <Tabs
        items={[
          {
            key: 'categories',
            label: t('settings.categories'),
            children: <CategoriesTab canEdit={can('events.configure')} />,
          },
          { key: 'departments', label: t('settings.departments'), children: <DepartmentsTab /> },
          {
            key: 'calendar',
            label: t('settings.calendar'),
            children: <CalendarTab canEdit={can('events.configure')} />,
          },
        ]}
      />
    </div>
  );
}
