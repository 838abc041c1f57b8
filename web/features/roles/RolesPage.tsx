// /roles — roles as named permission sets; edit and create with roles.manage.
import { useState } from 'react';
import { App, Button, Checkbox, Form, Input, Modal, Space, Tag, type TableColumnsType } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { createRole, roleKeys, updateRole, usePermissions, useRoles } from '../../api/accounts.js';
import type { PermissionInfo, Role as RoleInfo } from '../../api/types.js';
import { useAuth } from '../../app/auth.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { useLabel } from '../../app/format.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { ResponsiveTable } from '../../app/components/ResponsiveTable.js';
import { PERMISSIONS, PERMISSION_CODES } from '../../../common/permissions.js';
import { LIMITS } from '../../../common/limits.js';

interface RoleValues {
  code?: string;
  nameZh: string;
  nameEn: string;
  permissions: string[];
}

const FALLBACK_PERMISSIONS: PermissionInfo[] = PERMISSION_CODES.map((code) => ({
  code,
  ...PERMISSIONS[code],
}));

function RoleModal({
  role,
  open,
  permissions,
  onClose,
}: {
  /** null: create a new role. */
  role: RoleInfo | null;
  open: boolean;
  permissions: PermissionInfo[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const label = useLabel();
  const qc = useQueryClient();
  const [form] = Form.useForm<RoleValues>();
  const onError = useFormErrorHandler();
  const save = useMutation({
    mutationFn: (v: RoleValues) =>
      role
        ? updateRole(role.id, {
            nameZh: v.nameZh.trim(),
            nameEn: v.nameEn.trim(),
            ...(role.builtin ? {} : { permissions: v.permissions }),
          })
        : createRole({
            code: (v.code ?? '').trim(),
            nameZh: v.nameZh.trim(),
            nameEn: v.nameEn.trim(),
            permissions: v.permissions,
          }),
    onSuccess: async () => {
      void message.success(role ? t('common.saved') : t('roles.created'));
      onClose();
      await qc.invalidateQueries({ queryKey: roleKeys.all });
    },
    onError: (e) => onError(e, form, ['code', 'nameZh', 'nameEn', 'permissions']),
  });
  return (
    <Modal
      open={open}
      title={role ? t('roles.editTitle', { code: role.code }) : t('roles.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={role ? t('common.save') : t('common.create')}
      okButtonProps={{ loading: save.isPending, 'data-testid': 'role-form-submit' }}
      destroyOnHidden
    >
      <Form<RoleValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={
          role
            ? { nameZh: role.nameZh, nameEn: role.nameEn, permissions: role.permissions }
            : { permissions: [] }
        }
        onFinish={(v) => save.mutate(v)}
      >
        {!role && (
          <Form.Item
            name="code"
            label={t('roles.code')}
            extra={t('roles.codeHint')}
            rules={[
              { required: true, message: t('common.required') },
              { pattern: /^[a-z][a-z0-9_]{1,39}$/, message: t('roles.codeFormat') },
            ]}
          >
            <Input data-testid="role-form-code" maxLength={40} />
          </Form.Item>
        )}
        <Form.Item
          name="nameZh"
          label={t('roles.nameZh')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input data-testid="role-form-namezh" maxLength={LIMITS.name} />
        </Form.Item>
        <Form.Item
          name="nameEn"
          label={t('roles.nameEn')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input data-testid="role-form-nameen" maxLength={LIMITS.name} />
        </Form.Item>
        <Form.Item
          name="permissions"
          label={t('roles.permissions')}
          extra={role?.builtin ? t('roles.builtinFixed') : undefined}
        >
          <Checkbox.Group
            disabled={role?.builtin}
            data-testid="role-form-permissions"
            style={{ display: 'flex', flexDirection: 'column', gap: 6 }}
          >
            {permissions.map((p) => (
              <Checkbox key={p.code} value={p.code} data-testid={`perm-${p.code}`}>
                {label(p)} <Tag style={{ marginInlineStart: 4 }}>{p.code}</Tag>
              </Checkbox>
            ))}
          </Checkbox.Group>
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function RolesPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const label = useLabel();
  const manage = can('roles.manage');
  const roles = useRoles();
  const perms = usePermissions();
  const permissions = perms.data ?? FALLBACK_PERMISSIONS;
  const permLabel = new Map(permissions.map((p) => [p.code, label(p)]));
  const [editing, setEditing] = useState<RoleInfo | 'new' | null>(null);

  const columns: TableColumnsType<RoleInfo> = [
    {
      title: t('roles.code'),
      dataIndex: 'code',
      key: 'code',
      render: (v: string) => <code data-testid={`role-row-${v}`}>{v}</code>,
    },
    { title: t('roles.name'), key: 'name', render: (_v, r) => label({ zh: r.nameZh, en: r.nameEn }) },
    {
      title: t('roles.permissions'),
      key: 'permissions',
      render: (_v, r) => (
        <Space size={[4, 4]} wrap style={{ maxWidth: 420 }}>
          {r.permissions.map((p) => (
            <Tag key={p}>{permLabel.get(p) ?? p}</Tag>
          ))}
          {r.permissions.length === 0 && <span style={{ color: '#666' }}>{t('common.none')}</span>}
        </Space>
      ),
    },
    {
      title: t('roles.kind'),
      key: 'builtin',
      render: (_v, r) =>
        r.builtin ? <Tag color="gold">{t('roles.builtin')}</Tag> : <Tag>{t('roles.custom')}</Tag>,
    },
    { title: t('roles.userCount'), dataIndex: 'userCount', key: 'userCount', align: 'right' },
  ];
  if (manage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      render: (_v, r) => (
        <Button type="link" size="small" data-testid={`role-edit-${r.code}`} onClick={() => setEditing(r)}>
          {t('common.edit')}
        </Button>
      ),
    });
  }

  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('roles.title')}</h1>
        {manage && (
          <Button type="primary" data-testid="role-create-button" onClick={() => setEditing('new')}>
            {t('roles.create')}
          </Button>
        )}
      </div>
      {roles.isError && <ErrorAlert error={roles.error} style={{ marginBottom: 12 }} />}
      <ResponsiveTable<RoleInfo>
        data-testid="roles-table"
        cardTitle="name"
        rowKey="id"
        loading={roles.isPending}
        dataSource={roles.data ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: 'max-content' }}
      />
      <RoleModal
        key={editing === null ? 'closed' : editing === 'new' ? 'new' : editing.id}
        role={editing === 'new' || editing === null ? null : editing}
        open={editing !== null}
        permissions={permissions}
        onClose={() => setEditing(null)}
      />
    </div>
  );
}
