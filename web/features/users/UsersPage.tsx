// /users — accounts within the chosen jurisdiction node, with create, disable, unlock, reset and assignments;
// below, for a district-level administrator, the sign-in throttles in force.
import { useState } from 'react';
import { App, Button, Form, Input, Modal, Select, Space, Tag, Tooltip, type TableColumnsType } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  addAssignment,
  createUser,
  removeAssignment as removeUserAssignment,
  resetUserPassword,
  updateUser,
  useRoles,
  userKeys,
  useUsers,
} from '../../api/accounts.js';
import type { Assignment, UserSummary } from '../../api/types.js';
import { useAuth } from '../../app/auth.js';
import { useJurisdiction } from '../../app/jurisdiction.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { formatTime, useRoleName } from '../../app/format.js';
import { NodeTreeSelect } from '../../app/components/NodeTreeSelect.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { FilterBar } from '../../app/components/FilterBar.js';
import { ResponsiveTable } from '../../app/components/ResponsiveTable.js';
import { LIMITS } from '../../../common/limits.js';
import { LoginThrottles } from './LoginThrottles.js';

const ASSIGNMENT_MAP = {
  'assignments.0.roleId': 'roleId',
  'assignments.0.nodeId': 'nodeId',
  assignments: 'roleId',
  'assignments.0': 'roleId',
};

function RoleSelect(props: {
  id?: string;
  value?: number;
  onChange?: (v: number) => void;
  'data-testid'?: string;
}) {
  const { t } = useTranslation();
  const roles = useRoles();
  const roleName = useRoleName();
  return (
    <Select<number>
      {...props}
      loading={roles.isPending}
      placeholder={t('users.pickRole')}
      options={(roles.data ?? []).map((r) => ({ value: r.id, label: roleName(r) }))}
      notFoundContent={roles.isError ? roles.error.message : undefined}
      showSearch={{ optionFilterProp: 'label' }}
    />
  );
}

interface CreateValues {
  username: string;
  displayName: string;
  password: string;
  roleId: number;
  nodeId: number;
}

function CreateUserModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<CreateValues>();
  const onError = useFormErrorHandler();
  const { node } = useJurisdiction();
  const create = useMutation({
    mutationFn: (v: CreateValues) =>
      createUser({
        username: v.username.trim(),
        displayName: v.displayName.trim(),
        password: v.password,
        assignments: [{ roleId: v.roleId, nodeId: v.nodeId }],
      }),
    onSuccess: async () => {
      void message.success(t('users.created'));
      onClose();
      await qc.invalidateQueries({ queryKey: userKeys.all });
    },
    onError: (e) =>
      onError(e, form, ['username', 'displayName', 'password', 'roleId', 'nodeId'], ASSIGNMENT_MAP),
  });
  return (
    <Modal open={open} title={t('users.create')} onCancel={onClose} footer={null} destroyOnHidden>
      <Form<CreateValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ nodeId: node?.id }}
        onFinish={(v) => create.mutate(v)}
      >
        <Form.Item
          name="username"
          label={t('users.username')}
          rules={[
            { required: true, message: t('common.required') },
            { pattern: /^[A-Za-z0-9_.-]{2,64}$/, message: t('users.usernameFormat') },
          ]}
        >
          <Input data-testid="user-form-username" autoComplete="off" maxLength={LIMITS.username} />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('users.displayName')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input data-testid="user-form-displayname" maxLength={LIMITS.displayName} />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('users.initialPassword')}
          rules={[
            { required: true, message: t('common.required') },
            { min: LIMITS.passwordMin, message: t('common.passwordMin', { n: LIMITS.passwordMin }) },
          ]}
        >
          <Input.Password
            data-testid="user-form-password"
            autoComplete="new-password"
            maxLength={LIMITS.passwordMax}
          />
        </Form.Item>
        <Form.Item
          name="roleId"
          label={t('users.role')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <RoleSelect data-testid="user-form-role" />
        </Form.Item>
        <Form.Item
          name="nodeId"
          label={t('users.node')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <NodeTreeSelect data-testid="user-form-node" valueLabel={node?.name} />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          block
          loading={create.isPending}
          data-testid="user-form-submit"
        >
          {t('common.create')}
        </Button>
      </Form>
    </Modal>
  );
}

function ResetPasswordModal({ user, onClose }: { user: UserSummary | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ newPassword: string }>();
  const onError = useFormErrorHandler();
  const reset = useMutation({
    mutationFn: (v: { newPassword: string }) => resetUserPassword(user?.id ?? 0, v.newPassword),
    onSuccess: () => {
      void message.success(t('users.passwordReset'));
      onClose();
    },
    onError: (e) => onError(e, form, ['newPassword']),
  });
  return (
    <Modal
      open={user !== null}
      title={t('users.resetPasswordFor', { name: user?.displayName ?? '' })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ loading: reset.isPending, 'data-testid': 'reset-password-submit' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false} onFinish={(v) => reset.mutate(v)}>
        <Form.Item
          name="newPassword"
          label={t('account.newPassword')}
          rules={[
            { required: true, message: t('common.required') },
            { min: LIMITS.passwordMin, message: t('common.passwordMin', { n: LIMITS.passwordMin }) },
          ]}
        >
          <Input.Password
            data-testid="reset-password-input"
            autoComplete="new-password"
            maxLength={LIMITS.passwordMax}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function AddAssignmentModal({ user, onClose }: { user: UserSummary | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const { node } = useJurisdiction();
  const [form] = Form.useForm<{ roleId: number; nodeId: number }>();
  const onError = useFormErrorHandler();
  const add = useMutation({
    mutationFn: (v: { roleId: number; nodeId: number }) => addAssignment(user?.id ?? 0, v),
    onSuccess: async () => {
      void message.success(t('users.assignmentAdded'));
      onClose();
      await qc.invalidateQueries({ queryKey: userKeys.all });
    },
    onError: (e) => onError(e, form, ['roleId', 'nodeId']),
  });
  return (
    <Modal
      open={user !== null}
      title={t('users.addAssignmentFor', { name: user?.displayName ?? '' })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.add')}
      okButtonProps={{ loading: add.isPending, 'data-testid': 'assignment-submit' }}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ nodeId: node?.id }}
        onFinish={(v) => add.mutate(v)}
      >
        <Form.Item
          name="roleId"
          label={t('users.role')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <RoleSelect data-testid="assignment-role" />
        </Form.Item>
        <Form.Item
          name="nodeId"
          label={t('users.node')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <NodeTreeSelect data-testid="assignment-node" valueLabel={node?.name} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function UsersPage() {
  const { t } = useTranslation();
  const { can, me } = useAuth();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const roleName = useRoleName();
  const onError = useFormErrorHandler();
  const { node } = useJurisdiction();
  const manage = can('users.manage');
  const [q, setQ] = useState('');
  const [paging, setPaging] = useState({ nodeId: node?.id, q: '', page: 1, pageSize: 20 });
  // A new node or search starts again at page 1.
  const page = paging.nodeId === node?.id && paging.q === q ? paging.page : 1;
  const pageSize = paging.pageSize;
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<UserSummary | null>(null);
  const [assigning, setAssigning] = useState<UserSummary | null>(null);

  const users = useUsers({ node: node?.id, q, page, pageSize });

  const refresh = () => qc.invalidateQueries({ queryKey: userKeys.all });
  const patch = useMutation({
    mutationFn: ({ id, body }: { id: number; body: { disabled?: boolean; unlock?: true } }) =>
      updateUser(id, body),
    onSuccess: async () => {
      void message.success(t('common.saved'));
      await refresh();
    },
    onError: (e) => onError(e),
  });
  const removeAssignment = useMutation({
    mutationFn: ({ userId, assignmentId }: { userId: number; assignmentId: number }) =>
      removeUserAssignment(userId, assignmentId),
    onSuccess: async () => {
      void message.success(t('users.assignmentRemoved'));
      await refresh();
    },
    onError: (e) => onError(e),
  });

  const confirmRemove = (u: UserSummary, a: Assignment) => {
    void modal.confirm({
      title: t('users.removeAssignmentConfirm', {
        role: roleName(a.role),
        node: a.node.name,
        name: u.displayName,
      }),
      okText: t('common.remove'),
      okButtonProps: { danger: true, 'data-testid': 'assignment-remove-confirm' },
      cancelText: t('common.cancel'),
      onOk: () => removeAssignment.mutateAsync({ userId: u.id, assignmentId: a.id }).then(() => undefined),
    });
  };

  const columns: TableColumnsType<UserSummary> = [
    {
      title: t('users.username'),
      dataIndex: 'username',
      key: 'username',
      render: (v: string) => <span data-testid={`user-row-${v}`}>{v}</span>,
    },
    { title: t('users.displayName'), dataIndex: 'displayName', key: 'displayName' },
    {
      title: t('users.assignments'),
      key: 'assignments',
      render: (_v, u) => (
        <Space size={[4, 4]} wrap style={{ maxWidth: 360 }}>
          {u.assignments.map((a) => (
            <Tag
              key={a.id}
              color="blue"
              data-testid={`assignment-${a.id}`}
              closable={manage && u.id !== me.user.id}
              onClose={(e) => {
                e.preventDefault();
                confirmRemove(u, a);
              }}
            >
              {t('users.roleAtNode', { role: roleName(a.role), node: a.node.name })}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('users.status'),
      key: 'status',
      render: (_v, u) => (
        <Space size={4} wrap data-testid={`user-status-${u.id}`}>
          {u.disabled && <Tag color="default">{t('users.disabled')}</Tag>}
          {u.locked && <Tag color="red">{t('users.locked')}</Tag>}
          {!u.disabled && !u.locked && <Tag color="green">{t('users.active')}</Tag>}
          {u.totpEnabled && <Tag color="purple">{t('users.totp')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('users.lastLogin'),
      dataIndex: 'lastLoginAt',
      key: 'lastLoginAt',
      render: (v: string | null) => formatTime(v),
    },
  ];
  if (manage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      render: (_v, u) => {
        const self = u.id === me.user.id;
        return (
          <Space size={0} wrap>
            <Tooltip title={self ? t('users.notSelf') : undefined}>
              <Button
                type="link"
                size="small"
                danger={!u.disabled}
                disabled={self}
                data-testid={`user-toggle-${u.id}`}
                onClick={() => patch.mutate({ id: u.id, body: { disabled: !u.disabled } })}
              >
                {u.disabled ? t('users.enable') : t('users.disable')}
              </Button>
            </Tooltip>
            {u.locked && (
              <Button
                type="link"
                size="small"
                data-testid={`user-unlock-${u.id}`}
                onClick={() => patch.mutate({ id: u.id, body: { unlock: true } })}
              >
                {t('users.unlock')}
              </Button>
            )}
            <Button
              type="link"
              size="small"
              data-testid={`user-reset-password-${u.id}`}
              onClick={() => setResetting(u)}
            >
              {t('users.resetPassword')}
            </Button>
            <Button
              type="link"
              size="small"
              data-testid={`user-add-assignment-${u.id}`}
              onClick={() => setAssigning(u)}
            >
              {t('users.addAssignment')}
            </Button>
          </Space>
        );
      },
    });
  }

  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('users.title')}</h1>
        {manage && (
          <Button type="primary" data-testid="user-create-button" onClick={() => setCreating(true)}>
            {t('users.create')}
          </Button>
        )}
      </div>
      <FilterBar
        active={0}
        fields={[]}
        search={
          <Input.Search
            data-testid="user-search"
            aria-label={t('users.searchLabel')}
            allowClear
            placeholder={t('users.searchPlaceholder')}
            maxLength={LIMITS.search}
            onSearch={(v) => setQ(v.trim())}
            style={{ maxWidth: 320 }}
          />
        }
        extra={node && <Tag>{t('common.scopeOf', { name: node.name })}</Tag>}
      />
      {users.isError && <ErrorAlert error={users.error} style={{ marginBottom: 12 }} />}
      <ResponsiveTable<UserSummary>
        data-testid="users-table"
        cardTitle="displayName"
        rowKey="id"
        size="middle"
        loading={users.isFetching}
        dataSource={users.data?.items ?? []}
        columns={columns}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: page,
          pageSize,
          total: users.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total }),
          onChange: (p, ps) =>
            setPaging({ nodeId: node?.id, q, page: ps !== pageSize ? 1 : p, pageSize: ps }),
        }}
      />
      {manage && <LoginThrottles />}
      <CreateUserModal open={creating} onClose={() => setCreating(false)} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
      <AddAssignmentModal user={assigning} onClose={() => setAssigning(null)} />
    </div>
  );
}
