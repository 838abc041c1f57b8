// The case's messages as the mediator sees them, all of them. A family case is mediated in caucus (背对背):
// a party's message reaches only the mediator, until both sides agree to meet jointly. The mediator
// writes to every party, or keeps a note for the file.
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Card, Form, Input, Popconfirm } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  postCaseMessage,
  setJoint,
  useCaseMessages,
  useCaseUpdate,
  type CaseView,
} from '../../api/mediation.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { MEDIATION_LIMITS } from '../../../common/contracts/mediation-codes.js';
import { MessageItem } from './MessageItem.js';

export function MessagesCard({ c }: { c: CaseView }) {
  const { t } = useTranslation();
  const onError = useFormErrorHandler();
  const update = useCaseUpdate(c.id);
  const messages = useCaseMessages(c.id, true);
  const [form] = Form.useForm<{ body: string; toAll: boolean }>();
  const send = useMutation({
    mutationFn: (v: { body: string; toAll: boolean }) =>
      postCaseMessage(c.id, { body: v.body.trim(), toAll: v.toAll }),
    // The answer is the new message: the case's messages are refetched to show it in order.
    onSuccess: () => {
      update();
      form.resetFields();
    },
    onError: (e) => onError(e, form, ['body']),
  });
  const joint = useMutation({
    mutationFn: () => setJoint(c.id),
    onSuccess: (v) => update(v),
    onError: (e) => onError(e),
  });
  const items = messages.data?.items ?? [];
  return (
    <Card size="small" title={t('mediation.messages')} id="messages" data-testid="case-messages">
      {c.caucus && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 8 }}
          title={t('mediation.caucusNote')}
          action={
            c.abilities.joint ? (
              <Popconfirm title={t('mediation.jointConfirm')} onConfirm={() => joint.mutate()}>
                <Button size="small" loading={joint.isPending} data-testid="case-joint">
                  {t('mediation.joint')}
                </Button>
              </Popconfirm>
            ) : undefined
          }
        />
      )}
      {messages.isError && <ErrorAlert error={messages.error} />}
      {messages.isSuccess && items.length === 0 && <p className="linli-muted">{t('mediation.noMessages')}</p>}
      <ul className="linli-med-messages" aria-live="polite">
        {items.map((m) => (
          <MessageItem key={m.id} m={m} mediatorView />
        ))}
      </ul>
      {c.abilities.message && (
        <Form form={form} layout="vertical" initialValues={{ toAll: true }} onFinish={(v) => send.mutate(v)}>
          <Form.Item
            name="body"
            label={t('mediation.writeMessage')}
            rules={[{ required: true, whitespace: true, max: MEDIATION_LIMITS.messageChars }]}
          >
            <Input.TextArea
              data-testid="message-body"
              autoSize={{ minRows: 2, maxRows: 6 }}
              maxLength={MEDIATION_LIMITS.messageChars}
            />
          </Form.Item>
          <Form.Item name="toAll" valuePropName="checked" extra={t('mediation.toAllHint')}>
            <Checkbox className="linli-med-check">{t('mediation.sendToAll')}</Checkbox>
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={send.isPending} data-testid="message-send">
            {t('mediation.send')}
          </Button>
        </Form>
      )}
    </Card>
  );
}
