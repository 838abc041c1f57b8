// Publishing a notice to every household of a subtree (notices.publish at the node), optionally under
// an open incident command.
import { App, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useCommands } from '../../api/command.js';
import { usePublishNotice } from '../../api/notices.js';
import { NodeTreeSelect } from '../../app/components/NodeTreeSelect.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { LIMITS } from '../../../common/limits.js';

interface Values {
  nodeId: number;
  title: string;
  body: string;
  commandId?: number;
}

export function PublishNoticeModal({
  onClose,
  defaultNode,
  defaultCommand,
}: {
  onClose: () => void;
  defaultNode?: { id: number; name: string } | undefined;
  defaultCommand?: number | undefined;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const onError = useFormErrorHandler();
  const publish = usePublishNotice();
  const commands = useCommands('true');
  return (
    <Modal
      open
      title={t('notices.publish')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('notices.publishOk')}
      confirmLoading={publish.isPending}
      okButtonProps={{ 'data-testid': 'notice-publish-ok' }}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{
          nodeId: defaultNode?.id,
          title: t('notices.defaultTitle'),
          commandId: defaultCommand,
        }}
        data-testid="notice-publish-form"
        onFinish={(v) =>
          publish.mutate(
            {
              nodeId: v.nodeId,
              title: v.title,
              body: v.body,
              ...(v.commandId ? { commandId: v.commandId } : {}),
            },
            {
              onSuccess: (n) => {
                void message.success(t('notices.published', { households: n.households }));
                onClose();
                void navigate(`/notices/${n.id}`);
              },
              onError: (e) => onError(e, form, ['nodeId', 'title', 'body', 'commandId']),
            },
          )
        }
      >
        <Form.Item
          name="nodeId"
          label={t('notices.publishTo')}
          extra={t('notices.publishToHelp')}
          rules={[{ required: true, message: t('layout.chooseNode') }]}
        >
          <NodeTreeSelect
            data-testid="notice-node"
            valueLabel={defaultNode?.name}
            placeholder={t('layout.chooseNode')}
          />
        </Form.Item>
        <Form.Item name="commandId" label={t('notices.command')}>
          <Select
            allowClear
            placeholder={t('notices.noCommand')}
            loading={commands.isLoading}
            options={(commands.data?.items ?? []).map((c) => ({
              value: c.id,
              label: `${c.name}（${c.node.name}）`,
            }))}
            data-testid="notice-command"
          />
        </Form.Item>
        <Form.Item
          name="title"
          label={t('notices.titleColumn')}
          rules={[{ required: true, max: LIMITS.name }]}
        >
          <Input data-testid="notice-title" maxLength={LIMITS.name} />
        </Form.Item>
        <Form.Item name="body" label={t('notices.body')} rules={[{ required: true, max: 5000 }]}>
          <Input.TextArea data-testid="notice-body" rows={8} maxLength={5000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
