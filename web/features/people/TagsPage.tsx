// /tags — the person tags (elderly living alone, left-behind child…): create, rename, retire, restore.
import { useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router';
import { App, Button, Form, Input, Modal, Space, Table, Tag as AntTag, type TableColumnsType } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { createTag, tagKeys, updateTag, useTags, type Tag } from '../../api/people.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { LIMITS } from '../../../common/limits.js';

interface TagValues {
  code: string;
  nameZh: string;
  nameEn: string;
}

function TagModal({ tag, open, onClose }: { tag: Tag | null; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const onError = useFormErrorHandler();
  const [form] = Form.useForm<TagValues>();
  const save = useMutation({
    mutationFn: (v: TagValues) =>
      tag
        ? updateTag(tag.code, {
            nameZh: v.nameZh.trim(),
            nameEn: v.nameEn.trim(),
          })
        : createTag({
            code: v.code.trim(),
            nameZh: v.nameZh.trim(),
            nameEn: v.nameEn.trim(),
          }),
    onSuccess: async () => {
      void message.success(tag ? t('common.saved') : t('tags.created'));
      onClose();
      await qc.invalidateQueries({ queryKey: tagKeys.all });
    },
    onError: (e) => onError(e, form, ['code', 'nameZh', 'nameEn']),
  });
  return (
    <Modal
      open={open}
      title={tag ? t('tags.renameTitle', { code: tag.code }) : t('tags.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={tag ? t('common.save') : t('common.create')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: save.isPending, 'data-testid': 'tag-form-submit' }}
      destroyOnHidden
    >
      <Form<TagValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={tag ? { code: tag.code, nameZh: tag.nameZh, nameEn: tag.nameEn } : undefined}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item
          name="code"
          label={t('tags.code')}
          extra={tag ? undefined : t('tags.codeHint')}
          rules={[
            { required: true, message: t('common.required') },
            { pattern: /^[a-z][a-z0-9_]{1,39}$/, message: t('tags.codeFormat') },
          ]}
        >
          <Input data-testid="tag-form-code" disabled={tag !== null} maxLength={40} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="nameZh"
          label={t('tags.nameZh')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input data-testid="tag-form-namezh" maxLength={LIMITS.name} />
        </Form.Item>
        <Form.Item
          name="nameEn"
          label={t('tags.nameEn')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input data-testid="tag-form-nameen" maxLength={LIMITS.name} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function TagsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const onError = useFormErrorHandler();
  const tags = useTags();
  const [editing, setEditing] = useState<{ tag: Tag | null } | null>(null);

  const retire = useMutation({
    mutationFn: (v: { code: string; retired: boolean }) => updateTag(v.code, { retired: v.retired }),
    onSuccess: async (_r, v) => {
      void message.success(v.retired ? t('tags.retiredDone') : t('tags.restoredDone'));
      await qc.invalidateQueries({ queryKey: tagKeys.all });
    },
    onError: (e) => onError(e),
  });

  const columns: TableColumnsType<Tag> = [
    { title: t('tags.code'), dataIndex: 'code', key: 'code', render: (v: string) => <code>{v}</code> },
    { title: t('tags.nameZh'), dataIndex: 'nameZh', key: 'nameZh' },
    { title: t('tags.nameEn'), dataIndex: 'nameEn', key: 'nameEn', responsive: ['md'] },
    {
      title: t('tags.status'),
      key: 'status',
      responsive: ['sm'],
      render: (_v, x) => (
        <Space size={4} wrap>
          {x.builtin && <AntTag color="blue">{t('tags.builtin')}</AntTag>}
          {x.retired ? (
            <AntTag>{t('tags.retired')}</AntTag>
          ) : (
            <AntTag color="green">{t('tags.active')}</AntTag>
          )}
        </Space>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_v, x) => (
        <Space size={0} wrap>
          <Button
            type="link"
            size="small"
            data-testid={`tag-rename-${x.code}`}
            onClick={() => setEditing({ tag: x })}
          >
            {t('tags.rename')}
          </Button>
          <Button
            type="link"
            size="small"
            danger={!x.retired}
            data-testid={`tag-retire-${x.code}`}
            loading={retire.isPending && retire.variables.code === x.code}
            onClick={() => retire.mutate({ code: x.code, retired: !x.retired })}
          >
            {x.retired ? t('tags.restore') : t('tags.retire')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('tags.title')}</h1>
        <Space wrap>
          <Link to="/people">{t('tags.backToPeople')}</Link>
          <Button type="primary" data-testid="tag-create" onClick={() => setEditing({ tag: null })}>
            {t('tags.create')}
          </Button>
        </Space>
      </div>
      {tags.isError && <ErrorAlert error={tags.error} style={{ marginBottom: 12 }} />}
      <Table<Tag>
        data-testid="tags-table"
        rowKey="code"
        size="middle"
        loading={tags.isFetching}
        dataSource={tags.data ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={(x) => ({ 'data-testid': `tag-row-${x.code}` }) as HTMLAttributes<HTMLElement>}
      />
      <TagModal tag={editing?.tag ?? null} open={editing !== null} onClose={() => setEditing(null)} />
    </div>
  );
}
