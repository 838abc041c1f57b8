// Designating the mediator: the suggestions (specialty, area, load), a conflict with a party flagged
// (the committee decides; the server refuses a mediator who is a party), or the parties' own choice.
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Popconfirm, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  assignMediator,
  useCaseUpdate,
  useMediatorSuggestions,
  type CaseView,
  type SuggestionView,
} from '../../api/mediation.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { ResponsiveTable } from '../../app/components/ResponsiveTable.js';

export function AssignCard({ c }: { c: CaseView }) {
  const { t } = useTranslation();
  const onError = useFormErrorHandler();
  const update = useCaseUpdate(c.id);
  const suggestions = useMediatorSuggestions(c.id, c.abilities.assign);
  const [chosenByParties, setChosenByParties] = useState(false);
  const assign = useMutation({
    mutationFn: (mediatorId: number) => assignMediator(c.id, { mediatorId, chosenByParties }),
    onSuccess: (v) => update(v),
    onError: (e) => onError(e),
  });
  const button = (m: SuggestionView) => (
    <Button
      type={m.conflict ? 'default' : 'primary'}
      loading={assign.isPending && assign.variables === m.id}
      disabled={assign.isPending}
      onClick={m.conflict ? undefined : () => assign.mutate(m.id)}
      data-testid={`assign-mediator-${m.id}`}
    >
      {t('mediation.assign')}
    </Button>
  );
  return (
    <Card size="small" title={t('mediation.assignTitle')} data-testid="assign-card" id="assign">
      {suggestions.isError && <ErrorAlert error={suggestions.error} />}
      <Checkbox
        className="linli-med-check"
        checked={chosenByParties}
        onChange={(e) => setChosenByParties(e.target.checked)}
        data-testid="chosen-by-parties"
      >
        {t('mediation.chosenByParties')}
      </Checkbox>
      <ResponsiveTable<SuggestionView>
        rowKey="id"
        size="small"
        loading={suggestions.isLoading}
        dataSource={suggestions.data?.items ?? []}
        pagination={{ pageSize: 10 }}
        locale={{ emptyText: t('mediation.noSuggestions') }}
        columns={[
          { key: 'name', title: t('mediation.mediator'), render: (_: unknown, m: SuggestionView) => m.name },
          {
            key: 'org',
            title: t('mediation.org'),
            render: (_: unknown, m: SuggestionView) => `${m.org.name} · ${m.node.name}`,
          },
          {
            key: 'why',
            title: t('mediation.why'),
            render: (_: unknown, m: SuggestionView) => (
              <span>
                {m.specialtyMatch && <Tag color="green">{t('mediation.specialtyMatch')}</Tag>}
                {m.inArea && <Tag color="blue">{t('mediation.inArea')}</Tag>}
                {m.conflict && (
                  <Tag color="red" data-testid={`conflict-${m.id}`}>
                    {t('mediation.conflict')}
                  </Tag>
                )}
              </span>
            ),
          },
          {
            key: 'load',
            title: t('mediation.load'),
            render: (_: unknown, m: SuggestionView) => t('mediation.loadN', { n: m.load }),
          },
          {
            key: 'actions',
            title: t('common.actions'),
            render: (_: unknown, m: SuggestionView) =>
              m.conflict ? (
                <Popconfirm title={t('mediation.conflictConfirm')} onConfirm={() => assign.mutate(m.id)}>
                  {button(m)}
                </Popconfirm>
              ) : (
                button(m)
              ),
          },
        ]}
      />
      {(suggestions.data?.items ?? []).some((m) => m.conflict) && (
        <Alert type="warning" showIcon style={{ marginTop: 8 }} title={t('mediation.conflictHint')} />
      )}
    </Card>
  );
}
