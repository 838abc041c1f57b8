// /checkpoints — 卡口与值守点, for leads: the posts of a node (each with its status, staffing and
// lead), ticked and opened, suspended or closed together under an incident command from a given
// time ("open these 40 village entrances from 18:00"), set up and changed; each links to its roster.
import { useState } from 'react';
import { Link } from 'react-router';
import { App, Button, Card, Checkbox, Form, Input, InputNumber, Modal, Select, Space, Spin, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  CHECKPOINT_STATUSES,
  CHECKPOINT_TYPES,
  useCheckpoints,
  useCommandCheckpointStatus,
  useCreateCheckpoint,
  useUpdateCheckpoint,
  type CheckpointStatus,
  type CheckpointView,
  type CreateCheckpointInput,
} from '../../api/defence.js';
import { useCommands } from '../../api/command.js';
import { useAuth } from '../../app/auth.js';
import { useJurisdiction } from '../../app/jurisdiction.js';
import { LazyNodeTreeSelect } from '../../app/components/LazyNodeTreeSelect.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import './defence.css';

const STATUS_COLORS: Record<CheckpointStatus, string> = {
  open: 'green',
  suspended: 'orange',
  closed: 'default',
};

export function StatusTag({ status }: { status: CheckpointStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLORS[status]}>{t(`defence.status_${status}`)}</Tag>;
}

/** Shanghai wall-clock 'YYYY-MM-DDTHH:mm' (a datetime-local input) → an instant with its offset. */
const fromLocal = (v: string) => (v ? `${v}:00+08:00` : undefined);

function CheckpointForm({
  editing,
  node,
  onClose,
}: {
  editing: CheckpointView | null;
  node: number | undefined;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const create = useCreateCheckpoint();
  const update = useUpdateCheckpoint();
  const commands = useCommands('true');
  const [form] = Form.useForm<CreateCheckpointInput>();
  const save = async () => {
    const v = await form.validateFields();
    const body = { ...v, commandId: v.commandId ?? null };
    if (editing) update.mutate({ id: editing.id, body }, { onSuccess: onClose });
    else create.mutate(body, { onSuccess: onClose });
  };
  return (
    <Modal
      open
      title={t(editing ? 'defence.editCheckpoint' : 'defence.newCheckpoint')}
      onCancel={onClose}
      onOk={() => void save()}
      okButtonProps={{
        loading: create.isPending || update.isPending,
        ...({ 'data-testid': 'checkpoint-save' } as Record<string, string>),
      }}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={
          editing
            ? {
                name: editing.name,
                type: editing.type,
                nodeId: editing.node.id,
                staffPerShift: editing.staffPerShift,
                commandId: editing.commandId ?? undefined,
                status: editing.status,
                lat: editing.lat ?? undefined,
                lng: editing.lng ?? undefined,
              }
            : { type: 'village_entrance', staffPerShift: 2, nodeId: node, status: 'open' }
        }
      >
        <Form.Item name="name" label={t('defence.name')} rules={[{ required: true, max: 100 }]}>
          <Input data-testid="checkpoint-name" />
        </Form.Item>
        <Form.Item name="type" label={t('defence.type')} rules={[{ required: true }]}>
          <Select options={CHECKPOINT_TYPES.map((x) => ({ value: x, label: t(`defence.type_${x}`) }))} />
        </Form.Item>
        <Form.Item name="nodeId" label={t('defence.node')} rules={[{ required: true }]}>
          <LazyNodeTreeSelect valueLabel={editing?.node.name} />
        </Form.Item>
        <Form.Item name="staffPerShift" label={t('defence.staffPerShift')} rules={[{ required: true }]}>
          <InputNumber min={1} max={50} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="commandId" label={t('defence.command')}>
          <Select
            allowClear
            options={(commands.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
        </Form.Item>
        <Form.Item name="status" label={t('defence.status')}>
          <Select options={CHECKPOINT_STATUSES.map((x) => ({ value: x, label: t(`defence.status_${x}`) }))} />
        </Form.Item>
        <Space.Compact block>
          <Form.Item name="lat" label={t('defence.lat')} style={{ flex: 1 }}>
            <InputNumber min={-90} max={90} step={0.0001} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="lng" label={t('defence.lng')} style={{ flex: 1 }}>
            <InputNumber min={-180} max={180} step={0.0001} style={{ width: '100%' }} />
          </Form.Item>
        </Space.Compact>
      </Form>
      <ErrorAlert error={create.error ?? update.error} />
    </Modal>
  );
}

function BulkBar({ selected, onDone }: { selected: number[]; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const commands = useCommands('true');
  const bulk = useCommandCheckpointStatus();
  const [command, setCommand] = useState<number | undefined>();
  const [status, setStatus] = useState<CheckpointStatus>('open');
  const [from, setFrom] = useState('');
  return (
    <Card size="small" title={t('defence.bulkTitle')} style={{ marginBottom: 12 }}>
      <Space wrap>
        <Select
          placeholder={t('defence.bulkCommand')}
          value={command}
          onChange={setCommand}
          style={{ minWidth: 200 }}
          options={(commands.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
          aria-label={t('defence.bulkCommand')}
          data-testid="bulk-command"
        />
        <Select
          value={status}
          onChange={setStatus}
          style={{ minWidth: 110 }}
          aria-label={t('defence.status')}
          options={CHECKPOINT_STATUSES.map((x) => ({ value: x, label: t(`defence.status_${x}`) }))}
        />
        <Input
          type="datetime-local"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          aria-label={t('defence.bulkFrom')}
          title={t('defence.bulkFrom')}
          style={{ minHeight: 44 }}
        />
        <Button
          type="primary"
          className="linli-touch"
          disabled={command === undefined}
          loading={bulk.isPending}
          data-testid="bulk-apply"
          onClick={() =>
            command !== undefined &&
            bulk.mutate(
              {
                commandId: command,
                status,
                ...(fromLocal(from) ? { from: fromLocal(from)! } : {}),
                ...(selected.length > 0 ? { checkpointIds: selected } : {}),
              },
              {
                onSuccess: (r) => {
                  void message.success(t('defence.bulkDone', { n: r.items.length }));
                  onDone();
                },
              },
            )
          }
        >
          {t('defence.bulkApply')}
        </Button>
      </Space>
      <div className="linli-muted" style={{ marginTop: 8 }}>
        {selected.length > 0 ? t('defence.selected', { n: selected.length }) : t('defence.bulkAllOfCommand')}
      </div>
      <ErrorAlert error={bulk.error} style={{ marginTop: 8 }} />
    </Card>
  );
}

export default function CheckpointsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const jurisdiction = useJurisdiction();
  const [node, setNode] = useState<number | undefined>(jurisdiction.node?.id);
  const list = useCheckpoints({ node });
  const [selected, setSelected] = useState<number[]>([]);
  const [editing, setEditing] = useState<CheckpointView | null | 'new'>(null);
  const manage = can('checkpoints.manage');
  const items = list.data?.items ?? [];
  return (
    <div data-testid="checkpoints-page">
      <Space wrap style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
        <h2 style={{ margin: 0 }}>{t('defence.checkpointsTitle')}</h2>
        <Space wrap>
          <LazyNodeTreeSelect
            value={node ?? null}
            valueLabel={jurisdiction.node?.name}
            onChange={(id) => setNode(id)}
            style={{ minWidth: 200 }}
          />
          {manage && (
            <Button
              type="primary"
              className="linli-touch"
              onClick={() => setEditing('new')}
              data-testid="checkpoint-new"
            >
              {t('defence.newCheckpoint')}
            </Button>
          )}
        </Space>
      </Space>
      {manage && <BulkBar selected={selected} onDone={() => setSelected([])} />}
      <ErrorAlert error={list.error} />
      {list.isLoading && <Spin />}
      {items.map((c) => (
        <Card key={c.id} size="small" style={{ marginBottom: 8 }} data-testid={`checkpoint-${c.id}`}>
          <div className="linli-shift-row">
            <Space align="start">
              {manage && (
                <Checkbox
                  className="linli-touch"
                  checked={selected.includes(c.id)}
                  onChange={(e) =>
                    setSelected(e.target.checked ? [...selected, c.id] : selected.filter((x) => x !== c.id))
                  }
                  aria-label={c.name}
                />
              )}
              <div>
                <div style={{ fontWeight: 600 }}>
                  {c.name} <StatusTag status={c.status} />
                </div>
                <div className="linli-muted">
                  {c.node.name} · {t(`defence.type_${c.type}`)} · {t('defence.staffPerShift')}{' '}
                  {c.staffPerShift}
                  {c.lead ? ` · ${t('defence.lead')} ${c.lead.name}` : ''}
                </div>
              </div>
            </Space>
            <Space wrap>
              <Link to={`/checkpoints/roster?checkpoint=${c.id}`} className="linli-link-button">
                {t('defence.roster')}
              </Link>
              {c.abilities.update && (
                <Button className="linli-touch" onClick={() => setEditing(c)}>
                  {t('defence.edit')}
                </Button>
              )}
            </Space>
          </div>
        </Card>
      ))}
      {editing && (
        <CheckpointForm
          editing={editing === 'new' ? null : editing}
          node={node}
          onClose={() => setEditing(null)}
        />
      )}
    </div>
  );
}
