// Merge a duplicate into this person: pick the other record through the list API, give a reason,
// confirm. POST /api/people/:id/merge answers with the surviving record.
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  householdKeys,
  mergePeople,
  peopleKeys,
  usePeople,
  type MergeInput,
  type PersonDetail,
  type PersonSummary,
} from '../../api/people.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { LIMITS } from '../../../common/limits.js';

interface MergeValues {
  otherId: number;
  reason: string;
}

const describe = (p: Pick<PersonSummary, 'name' | 'idNumber' | 'birthDate' | 'node'>) =>
  [p.name, p.idNumber, p.birthDate, p.node.name].filter(Boolean).join(' · ');

export function MergeModal({
  person,
  open,
  onClose,
}: {
  person: PersonDetail;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const onError = useFormErrorHandler();
  const [form] = Form.useForm<MergeValues>();
  // Search starts with this person's name (duplicates usually share it), across the caller's whole scope.
  const [q, setQ] = useState(person.name);
  const [picked, setPicked] = useState<PersonSummary | null>(null);
  const candidates = usePeople({ q: q || undefined, page: 1, pageSize: 20 }, open);
  const otherId = Form.useWatch('otherId', form);
  const other = picked && picked.id === otherId ? picked : undefined;

  const merge = useMutation({
    mutationFn: (v: MergeValues) =>
      mergePeople(person.id, {
        otherId: v.otherId,
        reason: v.reason.trim(),
      } satisfies MergeInput),
    onSuccess: async (survivor) => {
      void message.success(t('people.merged'));
      qc.setQueryData(peopleKeys.detail(survivor.id), survivor);
      onClose();
      if (survivor.id !== person.id) void navigate(`/people/${survivor.id}`, { replace: true });
      await Promise.all([
        qc.invalidateQueries({ queryKey: peopleKeys.all }),
        qc.invalidateQueries({ queryKey: householdKeys.all }),
      ]);
    },
    onError: (e) => onError(e, form, ['otherId', 'reason']),
  });

  const found = (candidates.data?.items ?? []).filter((p) => p.id !== person.id);
  // The picked person stays an option when a new search no longer lists them.
  if (picked && !found.some((p) => p.id === picked.id)) found.unshift(picked);
  const options = found.map((p) => ({ value: p.id, label: describe(p) }));

  return (
    <Modal
      open={open}
      title={t('people.mergeTitle', { name: person.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('people.merge')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: true, loading: merge.isPending, 'data-testid': 'merge-submit' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false} onFinish={(v) => merge.mutate(v)}>
        <Form.Item
          name="otherId"
          label={t('people.mergeOther')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Select<number>
            data-testid="merge-other"
            showSearch={{ filterOption: false, onSearch: (s) => setQ(s.trim()) }}
            onSelect={(id: number) => setPicked(found.find((p) => p.id === id) ?? null)}
            placeholder={t('people.searchPlaceholder')}
            loading={candidates.isFetching}
            options={options}
            notFoundContent={candidates.isError ? candidates.error.message : t('common.noResults')}
          />
        </Form.Item>
        {other && (
          <Alert
            type="warning"
            showIcon
            data-testid="merge-confirm-text"
            title={t('people.mergeConfirm', { other: describe(other), name: describe(person) })}
            style={{ marginBottom: 12 }}
          />
        )}
        <Form.Item
          name="reason"
          label={t('people.reason')}
          rules={[
            { required: true, whitespace: true, message: t('people.reasonRequired') },
            { min: 2, message: t('people.reasonRequired') },
          ]}
        >
          <Input.TextArea data-testid="merge-reason" maxLength={LIMITS.reason} autoSize={{ minRows: 2 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
