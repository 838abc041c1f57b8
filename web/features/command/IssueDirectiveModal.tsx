// 下发指令 / 转发指令: one form for a new directive from a node and for a relay from a target's node.
// Targets: one level within chosen places (e.g. every village of two towns), every node of chosen
// subtrees, or named nodes. Deadlines default to two hours to sign for and a day to report back.
import { useEffect, useMemo, useState } from 'react';
import { App, DatePicker, Form, Input, Modal, Radio, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { PRIORITIES, PRIORITY_LABELS, TARGET_LEVELS } from '../../../common/contracts/command-codes.js';
import { LEVELS, type Level } from '../../../common/tree.js';
import {
  useCommands,
  useIssueDirective,
  useRelay,
  type DirectiveDetail,
  type TargetSpec,
} from '../../api/command.js';
import { useNodeChildren } from '../../api/nodes.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { useLabel, useLevelLabel } from '../../app/format.js';
import { AttachmentPicker } from './Attachments.js';

interface Values {
  commandId?: number;
  title: string;
  body: string;
  priority: (typeof PRIORITIES)[number];
  kind: TargetSpec['kind'];
  level?: (typeof TARGET_LEVELS)[number];
  within?: number[];
  nodeIds?: number[];
  signDueAt: Dayjs;
  reportDueAt: Dayjs;
  files?: string[];
}

export interface IssueDirectiveModalProps {
  open: boolean;
  onClose: () => void;
  onDone: (d: DirectiveDetail) => void;
  /** The node issuing (a new directive) or relaying (a relay). */
  issuer: { id: number; name: string; level: string };
  /** When relaying: the directive being relayed, and its title shown read-only. */
  relay?: { directiveId: number; title: string };
}

export function IssueDirectiveModal({ open, onClose, onDone, issuer, relay }: IssueDirectiveModalProps) {
  const { t } = useTranslation();
  const label = useLabel();
  const levelLabel = useLevelLabel();
  const [form] = Form.useForm<Values>();
  const issue = useIssueDirective();
  const relayDirective = useRelay();
  const commands = useCommands('true');
  const kind = Form.useWatch('kind', form);
  const [saving, setSaving] = useState(false);
  const [filesBusy, setFilesBusy] = useState(false);
  const { message } = App.useApp();
  const onError = useFormErrorHandler();
  const children = useNodeChildren(issuer.id, open);
  const below = useMemo(
    () =>
      LEVELS.filter(
        (l, i) =>
          i > LEVELS.indexOf(issuer.level as Level) && (TARGET_LEVELS as readonly string[]).includes(l),
      ),
    [issuer.level],
  );
  const placeOptions = useMemo(
    () => [
      { value: issuer.id, label: `${issuer.name}（${t('command.wholeNode')}）` },
      ...(children.data ?? []).filter((c) => !c.retired).map((c) => ({ value: c.id, label: c.name })),
    ],
    [children.data, issuer, t],
  );

  // Filled once per opening: a live update re-rendering the page must not wipe what is being typed,
  // so the effect hangs on values, not on the (new each render) props objects.
  const relayTitle = relay?.title;
  const firstLevel = below[0];
  useEffect(() => {
    if (open) {
      form.resetFields();
      form.setFieldsValue({
        kind: 'level',
        level: firstLevel as Values['level'],
        within: [issuer.id],
        priority: 'normal',
        signDueAt: dayjs().add(2, 'hour'),
        reportDueAt: dayjs().add(1, 'day'),
        ...(relayTitle !== undefined ? { title: relayTitle } : {}),
      });
    }
  }, [open, form, firstLevel, issuer.id, relayTitle]);

  const submit = async (v: Values) => {
    const targets: TargetSpec =
      v.kind === 'nodes'
        ? { kind: 'nodes', nodeIds: v.nodeIds ?? [] }
        : v.kind === 'level'
          ? { kind: 'level', level: v.level!, within: v.within ?? [] }
          : { kind: 'subtree', within: v.within ?? [] };
    const deadlines = {
      signDueAt: v.signDueAt.toISOString(),
      reportDueAt: v.reportDueAt.toISOString(),
      ...(v.files?.length ? { files: v.files } : {}),
    };
    setSaving(true);
    try {
      const d = relay
        ? await relayDirective.mutateAsync({
            directiveId: relay.directiveId,
            body: { nodeId: issuer.id, instructions: v.body, targets, ...deadlines },
          })
        : await issue.mutateAsync({
            issuerNodeId: issuer.id,
            title: v.title,
            body: v.body,
            priority: v.priority,
            targets,
            ...(v.commandId ? { commandId: v.commandId } : {}),
            ...deadlines,
          });
      void message.success(t(relay ? 'command.relayed' : 'command.issued', { n: d.counts.total }));
      onDone(d);
    } catch (e) {
      onError(
        e,
        form,
        [
          'commandId',
          'title',
          'body',
          'priority',
          'level',
          'within',
          'nodeIds',
          'signDueAt',
          'reportDueAt',
          'files',
        ],
        {
          instructions: 'body',
          'targets.level': 'level',
          'targets.within': 'within',
          'targets.nodeIds': 'nodeIds',
          targets: 'within',
        },
      );
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={
        relay
          ? t('command.relayTitle', { node: issuer.name })
          : t('command.issueTitle', { node: issuer.name })
      }
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={relay ? t('command.relay') : t('command.issue')}
      okButtonProps={{ loading: saving || filesBusy, 'data-testid': 'directive-submit' }}
      width={640}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} data-testid="directive-form">
        {!relay && (
          <Form.Item name="commandId" label={t('command.command')}>
            <Select
              allowClear
              placeholder={t('command.noCommand')}
              options={(commands.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
              data-testid="directive-command"
            />
          </Form.Item>
        )}
        <Form.Item name="title" label={t('command.directiveTitle')} rules={[{ required: true, max: 100 }]}>
          <Input disabled={!!relay} data-testid="directive-title" />
        </Form.Item>
        <Form.Item
          name="body"
          label={relay ? t('command.instructions') : t('command.directiveBody')}
          rules={[{ required: true, max: 5000 }]}
        >
          <Input.TextArea rows={4} data-testid="directive-body" />
        </Form.Item>
        {!relay && (
          <Form.Item name="priority" label={t('command.priority')}>
            <Radio.Group
              optionType="button"
              options={PRIORITIES.map((p) => ({ value: p, label: label(PRIORITY_LABELS[p]) }))}
            />
          </Form.Item>
        )}
        <Form.Item name="kind" label={t('command.targets')}>
          <Radio.Group
            data-testid="directive-kind"
            options={[
              { value: 'level', label: t('command.kindLevel') },
              { value: 'subtree', label: t('command.kindSubtree') },
              { value: 'nodes', label: t('command.kindNodes') },
            ]}
          />
        </Form.Item>
        {kind === 'level' && (
          <Form.Item name="level" label={t('command.targetLevel')} rules={[{ required: true }]}>
            <Select
              data-testid="directive-level"
              options={below.map((l) => ({ value: l, label: levelLabel(l) }))}
            />
          </Form.Item>
        )}
        {kind !== 'nodes' ? (
          <Form.Item
            name="within"
            label={t('command.within')}
            rules={[{ required: true, type: 'array', min: 1 }]}
          >
            <Select
              mode="multiple"
              data-testid="directive-within"
              options={placeOptions}
              loading={children.isLoading}
              optionFilterProp="label"
            />
          </Form.Item>
        ) : (
          <Form.Item
            name="nodeIds"
            label={t('command.nodes')}
            rules={[{ required: true, type: 'array', min: 1 }]}
          >
            <Select
              mode="multiple"
              data-testid="directive-nodes"
              options={placeOptions.slice(1)}
              loading={children.isLoading}
              optionFilterProp="label"
            />
          </Form.Item>
        )}
        <Form.Item name="signDueAt" label={t('command.signDueAt')} rules={[{ required: true }]}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="reportDueAt" label={t('command.reportDueAt')} rules={[{ required: true }]}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="files" label={t('command.attachments')}>
          <AttachmentPicker testId="directive-files" onBusyChange={setFilesBusy} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
