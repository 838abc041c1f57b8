// 发起摸排: a name, the open command it serves, the questionnaire, the place swept (the caller's place or
// below), whom it visits (floating residents, arrivals since a date, people with a tag) and a deadline.
// The server splits the targets by grid at once and answers how many there are.
import { useState } from 'react';
import { App, Button, Form, Input, Modal, Radio, Select, Upload } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCommands } from '../../api/command.js';
import {
  createSweep,
  createSweepFromList,
  sweepKeys,
  useQuestionnaires,
  type PopulationKind,
  type SweepView,
} from '../../api/screening.js';
import { NodeTreeSelect } from '../../app/components/NodeTreeSelect.js';
import { useLabel } from '../../app/format.js';
import { useFormErrorHandler } from '../../app/forms.js';

interface Values {
  name: string;
  commandId: number;
  questionnaireId: number;
  nodeId: number;
  kind: PopulationKind;
  since?: string;
  tag?: string;
  deadline: string;
}

export default function StartSweepModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const label = useLabel();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const onError = useFormErrorHandler();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);
  const commands = useCommands('true');
  const questionnaires = useQuestionnaires();
  const [file, setFile] = useState<File | null>(null);
  const save = useMutation({
    mutationFn: async (v: Values): Promise<{ sweep: SweepView; unmatched: number[] }> => {
      const meta = {
        name: v.name,
        commandId: v.commandId,
        questionnaireId: v.questionnaireId,
        nodeId: v.nodeId,
        deadline: v.deadline,
      };
      if (v.kind === 'list') {
        const r = await createSweepFromList(meta, file!);
        return { sweep: r.sweep, unmatched: r.unmatchedRows };
      }
      const sweep = await createSweep({
        ...meta,
        population:
          v.kind === 'arrivals'
            ? { kind: 'arrivals', since: v.since ?? '' }
            : v.kind === 'tag'
              ? { kind: 'tag', tag: v.tag ?? '' }
              : { kind: 'floating' },
      });
      return { sweep, unmatched: [] };
    },
    onSuccess: ({ sweep, unmatched }) => {
      void qc.invalidateQueries({ queryKey: sweepKeys.all });
      void message.success(t('sweep.started', { n: sweep.targets }));
      if (unmatched.length > 0)
        void message.warning(
          t('sweep.unmatched', { n: unmatched.length, rows: unmatched.slice(0, 20).join('、') }),
          10,
        );
      onClose();
      void navigate(`/sweeps/${sweep.id}`);
    },
    onError: (e) => onError(e, form, ['name', 'commandId', 'questionnaireId', 'nodeId', 'deadline']),
  });
  return (
    <Modal
      open
      title={t('sweep.start')}
      okText={t('sweep.start')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onCancel={onClose}
      okButtonProps={{ disabled: kind === 'list' && !file }}
      onOk={() => form.submit()}
    >
      <Form
        form={form}
        layout="vertical"
        data-testid="sweep-start-form"
        initialValues={{ kind: 'floating' }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="name" label={t('sweep.name')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={100} data-testid="sweep-name" />
        </Form.Item>
        <Form.Item name="commandId" label={t('sweep.command')} rules={[{ required: true }]}>
          <Select
            data-testid="sweep-command"
            options={(commands.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
        </Form.Item>
        <Form.Item name="questionnaireId" label={t('sweep.questionnaire')} rules={[{ required: true }]}>
          <Select
            data-testid="sweep-questionnaire"
            options={(questionnaires.data?.items ?? []).map((q) => ({
              value: q.id,
              label: t('sweep.questionnaireVersion', { title: label(q.title), version: q.version }),
            }))}
          />
        </Form.Item>
        <Form.Item name="nodeId" label={t('sweep.node')} rules={[{ required: true }]}>
          <NodeTreeSelect data-testid="sweep-node" />
        </Form.Item>
        <Form.Item name="kind" label={t('sweep.population')}>
          <Radio.Group>
            {(['floating', 'arrivals', 'tag', 'list'] as const).map((k) => (
              <Radio key={k} value={k}>
                {t(`sweep.populationKind.${k}`)}
              </Radio>
            ))}
          </Radio.Group>
        </Form.Item>
        {kind === 'arrivals' && (
          <Form.Item name="since" label={t('sweep.since')} rules={[{ required: true }]}>
            <Input type="date" />
          </Form.Item>
        )}
        {kind === 'tag' && (
          <Form.Item name="tag" label={t('sweep.tag')} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={40} />
          </Form.Item>
        )}
        {kind === 'list' && (
          <Form.Item
            label={t('sweep.listFile')}
            required
            validateStatus={save.isError && !file ? 'error' : undefined}
          >
            <Upload
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              maxCount={1}
              beforeUpload={(f) => {
                setFile(f);
                return false;
              }}
              onRemove={() => setFile(null)}
            >
              <Button data-testid="sweep-list-file">{t('sweep.chooseFile')}</Button>
            </Upload>
          </Form.Item>
        )}
        <Form.Item name="deadline" label={t('sweep.deadline')} rules={[{ required: true }]}>
          <Input type="date" data-testid="sweep-deadline" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
