// What the caller may do with a node (from the node's `abilities`): edit, add child, move, retire,
// and import (nodes.manage).
import { useState } from 'react';
import { App, Button, Form, Input, Modal, Select, Space, Tag } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { createNode, moveNode, nodeKeys, retireNode, updateNode, useNodeSearch } from '../../api/nodes.js';
import type { Level, NodeDetail } from '../../api/types.js';
import { useAuth } from '../../app/auth.js';
import { toChosen, useJurisdiction } from '../../app/jurisdiction.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { LEVEL_COLORS, useLevelLabel } from '../../app/format.js';
import { LIMITS } from '../../../common/limits.js';
import { childLevel } from '../../../common/tree.js';
import { ImportModal } from './ImportModal.js';

type Dialog = 'edit' | 'child' | 'move' | 'import' | null;

interface EditValues {
  name: string;
  responsibleName?: string;
}
interface ChildValues {
  code: string;
  name: string;
  responsibleName?: string;
}
interface MoveValues {
  newParentId: number;
  code?: string;
}

const orNull = (s: string | undefined) => (s && s.trim() ? s.trim() : null);

function useRefreshNodes() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: nodeKeys.all });
}

function EditModal({ node, open, onClose }: { node: NodeDetail; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<EditValues>();
  const onError = useFormErrorHandler();
  const refresh = useRefreshNodes();
  const { node: chosen, setNode } = useJurisdiction();
  const save = useMutation({
    mutationFn: (v: EditValues) =>
      updateNode(node.id, {
        name: v.name.trim(),
        responsibleName: orNull(v.responsibleName),
      }),
    onSuccess: async (_r, v) => {
      if (chosen?.id === node.id) setNode({ ...chosen, name: v.name.trim() });
      void message.success(t('common.saved'));
      onClose();
      await refresh();
    },
    onError: (e) => onError(e, form, ['name', 'responsibleName']),
  });
  return (
    <Modal
      open={open}
      title={t('nodes.edit')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ loading: save.isPending, 'data-testid': 'node-form-submit' }}
      destroyOnHidden
    >
      <Form<EditValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ name: node.name, responsibleName: node.responsibleName ?? '' }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item
          name="name"
          label={t('nodes.name')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input data-testid="node-form-name" maxLength={LIMITS.name} />
        </Form.Item>
        <Form.Item name="responsibleName" label={t('nodes.responsible')}>
          <Input data-testid="node-form-responsible" maxLength={LIMITS.name} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ChildModal({ node, open, onClose }: { node: NodeDetail; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const levelLabel = useLevelLabel();
  const [form] = Form.useForm<ChildValues>();
  const onError = useFormErrorHandler();
  const refresh = useRefreshNodes();
  const level = childLevel(node.level);
  const create = useMutation({
    mutationFn: (v: ChildValues) =>
      createNode({
        parentId: node.id,
        code: v.code,
        name: v.name.trim(),
        responsibleName: orNull(v.responsibleName),
      }),
    onSuccess: async () => {
      void message.success(t('nodes.childCreated'));
      onClose();
      await refresh();
    },
    onError: (e) => onError(e, form, ['code', 'name', 'responsibleName']),
  });
  return (
    <Modal
      open={open}
      title={
        <span>
          {t('nodes.addChild')} {level && <Tag color={LEVEL_COLORS[level]}>{levelLabel(level)}</Tag>}
        </span>
      }
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.create')}
      okButtonProps={{ loading: create.isPending, 'data-testid': 'node-form-submit' }}
      destroyOnHidden
    >
      <Form<ChildValues> form={form} layout="vertical" preserve={false} onFinish={(v) => create.mutate(v)}>
        <Form.Item
          name="code"
          label={t('nodes.code')}
          extra={t('nodes.codeHint', { parent: node.fullCode })}
          rules={[
            { required: true, message: t('common.required') },
            { pattern: /^\d{3}$/, message: t('nodes.codeFormat') },
          ]}
        >
          <Input data-testid="node-form-code" maxLength={3} inputMode="numeric" style={{ maxWidth: 160 }} />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('nodes.name')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input data-testid="node-form-name" maxLength={LIMITS.name} />
        </Form.Item>
        <Form.Item name="responsibleName" label={t('nodes.responsible')}>
          <Input data-testid="node-form-responsible" maxLength={LIMITS.name} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ParentSearch({
  value,
  onChange,
  excludeId,
  level,
}: {
  value?: number;
  onChange?: (v: number) => void;
  excludeId: number;
  /** Only parents on this level (the level of the current parent) are offered. */
  level: Level | undefined;
}) {
  const { t } = useTranslation();
  const levelLabel = useLevelLabel();
  const [q, setQ] = useState('');
  const results = useNodeSearch(q);
  const options = (results.data ?? [])
    // Search hits are live nodes only.
    .filter((n) => n.id !== excludeId && (!level || n.level === level))
    .map((n) => ({
      value: n.id,
      label: (
        <span data-testid={`move-option-${n.id}`}>
          {n.name} <Tag color={LEVEL_COLORS[n.level]}>{levelLabel(n.level)}</Tag>
          <span style={{ color: '#666' }}>
            {n.path.join(' › ')} · {n.fullCode}
          </span>
        </span>
      ),
    }));
  return (
    <Select<number>
      data-testid="node-move-parent"
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={value}
      onChange={onChange}
      options={options}
      loading={results.isFetching}
      placeholder={t('nodes.searchParent')}
      notFoundContent={q ? t('common.noResults') : t('nodes.typeToSearch')}
      style={{ width: '100%' }}
    />
  );
}

function MoveModal({ node, open, onClose }: { node: NodeDetail; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<MoveValues>();
  const onError = useFormErrorHandler();
  const refresh = useRefreshNodes();
  const move = useMutation({
    mutationFn: (v: MoveValues) =>
      moveNode(node.id, {
        newParentId: v.newParentId,
        ...(v.code ? { code: v.code } : {}),
      }),
    onSuccess: async () => {
      void message.success(t('nodes.moved'));
      onClose();
      await refresh();
    },
    onError: (e) => onError(e, form, ['newParentId', 'code']),
  });
  return (
    <Modal
      open={open}
      title={t('nodes.move')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('nodes.move')}
      okButtonProps={{ loading: move.isPending, 'data-testid': 'node-move-submit' }}
      destroyOnHidden
    >
      <Form<MoveValues> form={form} layout="vertical" preserve={false} onFinish={(v) => move.mutate(v)}>
        <Form.Item
          name="newParentId"
          label={t('nodes.newParent')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <ParentSearch excludeId={node.id} level={node.ancestors.at(-1)?.level} />
        </Form.Item>
        <Form.Item
          name="code"
          label={t('nodes.newCode')}
          extra={t('nodes.newCodeHint')}
          rules={[{ pattern: /^\d{3}$/, message: t('nodes.codeFormat') }]}
        >
          <Input data-testid="node-move-code" maxLength={3} inputMode="numeric" style={{ maxWidth: 160 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function NodeActions({ node, onNavigate }: { node: NodeDetail; onNavigate: (id: number) => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { modal, message } = App.useApp();
  const onError = useFormErrorHandler();
  const refresh = useRefreshNodes();
  const { node: chosen, setNode } = useJurisdiction();
  const [dialog, setDialog] = useState<Dialog>(null);
  const ab = node.abilities;
  const canImport = can('nodes.manage');
  const close = () => setDialog(null);

  const retire = useMutation({
    mutationFn: () => retireNode(node.id),
    onSuccess: async () => {
      void message.success(t('nodes.retiredDone'));
      if (chosen?.id === node.id && node.ancestors.length > 0) {
        const parent = node.ancestors[node.ancestors.length - 1]!;
        setNode(toChosen({ ...parent, path: chosen.path.replace(/[^/]+\/$/, '') }));
      }
      await refresh();
      if (node.parentId !== null) onNavigate(node.parentId);
    },
    onError: (e) => onError(e),
  });

  const confirmRetire = () => {
    void modal.confirm({
      title: t('nodes.retireConfirmTitle', { name: node.name }),
      content: t('nodes.retireConfirmBody'),
      okText: t('nodes.retire'),
      okButtonProps: { danger: true, 'data-testid': 'node-retire-confirm' },
      cancelText: t('common.cancel'),
      onOk: () => retire.mutateAsync().then(() => undefined),
    });
  };

  const anything = ab.update || ab.createChild || ab.move || ab.retire || canImport;
  if (!anything) return null;
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        {ab.update && (
          <Button data-testid="node-edit" onClick={() => setDialog('edit')}>
            {t('nodes.edit')}
          </Button>
        )}
        {ab.createChild && childLevel(node.level) && (
          <Button data-testid="node-add-child" type="primary" onClick={() => setDialog('child')}>
            {t('nodes.addChild')}
          </Button>
        )}
        {ab.move && (
          <Button data-testid="node-move" onClick={() => setDialog('move')}>
            {t('nodes.move')}
          </Button>
        )}
        {ab.retire && !node.retired && (
          <Button data-testid="node-retire" danger onClick={confirmRetire} loading={retire.isPending}>
            {t('nodes.retire')}
          </Button>
        )}
        {canImport && (
          <Button data-testid="node-import" onClick={() => setDialog('import')}>
            {t('nodes.import')}
          </Button>
        )}
      </Space>
      <EditModal node={node} open={dialog === 'edit'} onClose={close} />
      <ChildModal node={node} open={dialog === 'child'} onClose={close} />
      <MoveModal node={node} open={dialog === 'move'} onClose={close} />
      <ImportModal
        open={dialog === 'import'}
        onClose={close}
        onImported={() => {
          void refresh();
        }}
      />
    </>
  );
}
