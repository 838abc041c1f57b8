// The coordinator's forms: register a volunteer (their consent ticked), change one (their state,
// organisation and profile), register many from a workbook, make an invitation link for people to sign
// up themselves (shown with a copy button), set up an organisation.
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Form, Input, InputNumber, Modal, Select, Typography } from 'antd';
import { CopyOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import {
  createInvitation,
  createOrg,
  createVolunteer,
  importVolunteers,
  joinPageUrl,
  updateVolunteer,
  useServicesRefresh,
  useVolunteerOrgs,
  type InvitationView,
  type Skill,
  type UpdateVolunteerInput,
  type VolunteerOrgKind,
  type VolunteerView,
} from '../../api/services.js';
import { useJurisdiction } from '../../app/jurisdiction.js';
import { useFormErrorHandler } from '../../app/forms.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { NodeTreeSelect } from '../../app/components/NodeTreeSelect.js';
import {
  SERVICES_LIMITS,
  VOLUNTEER_ORG_KINDS,
  VOLUNTEER_STATES,
} from '../../../common/contracts/services-codes.js';
import { useIdentityRules } from '../mediation/forms.js';
import { PROFILE_FIELDS, ProfileFields, WINDOW_ISSUES } from './ProfileFields.js';
import { editValuesOf, volunteerChanges, type VolunteerEditValues } from './volunteerChanges.js';

/** The organisations to choose from, as a Select's props. */
export function useOrgOptions() {
  const orgs = useVolunteerOrgs(undefined);
  return {
    loading: orgs.isLoading,
    options: (orgs.data?.items ?? []).map((o) => ({ value: o.id, label: o.name })),
  };
}

interface RegisterValues {
  nodeId?: number;
  orgId?: number;
  name: string;
  idNumber: string;
  phone?: string;
  partyMember: boolean;
  skills: Skill[];
  consent: boolean;
}

export function RegisterVolunteerModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { node } = useJurisdiction();
  const [form] = Form.useForm<RegisterValues>();
  const onError = useFormErrorHandler();
  const refresh = useServicesRefresh();
  const rules = useIdentityRules();
  const orgs = useOrgOptions();
  const save = useMutation({
    mutationFn: (v: RegisterValues) =>
      createVolunteer({
        nodeId: v.nodeId ?? 0,
        orgId: v.orgId ?? null,
        name: v.name.trim(),
        idNumber: v.idNumber.trim(),
        phone: v.phone?.trim() ? v.phone.trim() : null,
        consent: true,
        partyMember: v.partyMember,
        skills: v.skills,
      }),
    onSuccess: (v) => {
      void message.success(t('services.registered', { name: v.name }));
      refresh();
      onClose();
    },
    onError: (e) =>
      onError(e, form, ['nodeId', 'orgId', 'name', 'idNumber', 'phone', 'consent', ...PROFILE_FIELDS]),
  });
  return (
    <Modal
      open
      title={t('services.registerVolunteer')}
      onCancel={onClose}
      okText={t('services.register')}
      okButtonProps={{
        loading: save.isPending,
        'data-testid': 'register-save',
      }}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form<RegisterValues>
        form={form}
        layout="vertical"
        initialValues={{ nodeId: node?.id, partyMember: false, skills: [], consent: false }}
        onFinish={(v) => save.mutate(v)}
        data-testid="register-form"
      >
        <Form.Item name="nodeId" label={t('services.homePlace')} rules={[{ required: true }]}>
          <NodeTreeSelect valueLabel={node?.name} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="orgId" label={t('services.org')}>
          <Select allowClear placeholder={t('services.noOrg')} {...orgs} />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('services.name')}
          rules={[{ required: true, whitespace: true, max: SERVICES_LIMITS.nameChars }]}
        >
          <Input maxLength={SERVICES_LIMITS.nameChars} />
        </Form.Item>
        <Form.Item
          name="idNumber"
          label={t('services.idNumber')}
          rules={[{ required: true, whitespace: true }, rules.idNumber]}
        >
          <Input maxLength={18} autoComplete="off" />
        </Form.Item>
        <Form.Item name="phone" label={t('services.phone')} rules={[rules.phone]}>
          <Input maxLength={20} inputMode="tel" />
        </Form.Item>
        <ProfileFields testId="register" />
        <Form.Item
          name="consent"
          valuePropName="checked"
          rules={[
            {
              validator: (_, v: boolean) =>
                v ? Promise.resolve() : Promise.reject(new Error(t('services.consentNeeded'))),
            },
          ]}
        >
          <Checkbox className="linli-svc-check" data-testid="register-consent">
            {t('services.consentRecorded')}
          </Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Changes one volunteer: their state (paused, left), organisation and profile; sends only what changed. */
export function EditVolunteerModal({ v, onClose }: { v: VolunteerView; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<VolunteerEditValues>();
  const onError = useFormErrorHandler();
  const refresh = useServicesRefresh();
  const orgs = useOrgOptions();
  // Their organisation stays named even when it is not among the caller's to choose from.
  const orgOptions =
    v.org && !orgs.options.some((o) => o.value === v.org?.id)
      ? [{ value: v.org.id, label: v.org.name }, ...orgs.options]
      : orgs.options;
  const save = useMutation({
    mutationFn: (body: UpdateVolunteerInput) => updateVolunteer(v.id, body),
    onSuccess: (saved) => {
      void message.success(t('services.volunteerSaved', { name: saved.name }));
      refresh();
      onClose();
    },
    onError: (e) => onError(e, form, ['status', 'orgId', ...PROFILE_FIELDS], WINDOW_ISSUES),
  });
  const submit = (values: VolunteerEditValues) => {
    const body = volunteerChanges(v, {
      ...values,
      orgId: values.orgId ?? null,
      availability: values.availability ?? [],
    });
    if (Object.keys(body).length === 0) {
      void message.info(t('services.nothingChanged'));
      onClose();
    } else save.mutate(body);
  };
  return (
    <Modal
      open
      title={t('services.editVolunteerTitle', { name: v.name })}
      onCancel={onClose}
      okText={t('common.save')}
      okButtonProps={{ loading: save.isPending, 'data-testid': 'volunteer-edit-save' }}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form<VolunteerEditValues>
        form={form}
        name="volunteer-edit"
        layout="vertical"
        initialValues={editValuesOf(v)}
        onFinish={submit}
        data-testid="volunteer-edit-form"
      >
        <p className="linli-muted">{t('services.livesIn', { place: v.home.name })}</p>
        <Form.Item name="status" label={t('services.status')} extra={t('services.statusHelp')}>
          <Select
            options={VOLUNTEER_STATES.map((s) => ({ value: s, label: t(`services.volunteerState.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="orgId" label={t('services.org')}>
          <Select allowClear placeholder={t('services.noOrg')} loading={orgs.loading} options={orgOptions} />
        </Form.Item>
        <ProfileFields testId="volunteer-edit" full />
      </Form>
    </Modal>
  );
}

export function ImportVolunteersModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { node } = useJurisdiction();
  const onError = useFormErrorHandler();
  const refresh = useServicesRefresh();
  const orgs = useOrgOptions();
  const [nodeId, setNodeId] = useState<number | undefined>(node?.id);
  const [orgId, setOrgId] = useState<number | undefined>();
  const [file, setFile] = useState<File | null>(null);
  const run = useMutation({
    mutationFn: () => importVolunteers(file!, nodeId!, orgId ?? null),
    onSuccess: (r) => {
      void message.success(t('services.imported', { n: r.created, linked: r.linked }));
      refresh();
      onClose();
    },
    onError: (e) => onError(e),
  });
  return (
    <Modal
      open
      title={t('services.importVolunteers')}
      onCancel={onClose}
      okText={t('services.importRun')}
      okButtonProps={{ disabled: !file || nodeId === undefined, loading: run.isPending }}
      onOk={() => run.mutate()}
      destroyOnHidden
    >
      <p className="linli-muted">{t('services.importHelp')}</p>
      <Form layout="vertical">
        <Form.Item label={t('services.importPlace')} htmlFor="import-node" required>
          <NodeTreeSelect
            id="import-node"
            value={nodeId}
            valueLabel={node?.name}
            onChange={(id) => setNodeId(id)}
            style={{ width: '100%' }}
          />
        </Form.Item>
        <Form.Item label={t('services.org')} htmlFor="import-org">
          <Select<number>
            id="import-org"
            allowClear
            placeholder={t('services.noOrg')}
            value={orgId}
            onChange={setOrgId}
            {...orgs}
          />
        </Form.Item>
        <Form.Item label={t('services.importFile')} required>
          <label className="linli-svc-photo">
            <input
              type="file"
              accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
            <span>{file ? file.name : t('services.chooseXlsx')}</span>
          </label>
        </Form.Item>
      </Form>
      <ErrorAlert error={run.error} />
    </Modal>
  );
}

interface InviteValues {
  nodeId?: number;
  orgId?: number;
  days: number;
  maxUses: number;
}

export function InvitationModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { node } = useJurisdiction();
  const [form] = Form.useForm<InviteValues>();
  const onError = useFormErrorHandler();
  const orgs = useOrgOptions();
  const [made, setMade] = useState<InvitationView | null>(null);
  const make = useMutation({
    mutationFn: (v: InviteValues) =>
      createInvitation({ nodeId: v.nodeId ?? 0, orgId: v.orgId ?? null, days: v.days, maxUses: v.maxUses }),
    onSuccess: setMade,
    onError: (e) => onError(e, form, ['nodeId', 'orgId', 'days', 'maxUses']),
  });
  return (
    <Modal
      open
      title={t('services.invitation')}
      onCancel={onClose}
      footer={
        made ? (
          <Button onClick={onClose}>{t('common.close')}</Button>
        ) : (
          <>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button
              type="primary"
              loading={make.isPending}
              onClick={() => form.submit()}
              data-testid="invitation-make"
            >
              {t('services.makeLink')}
            </Button>
          </>
        )
      }
      destroyOnHidden
    >
      {made ? (
        <div data-testid="invitation-made">
          <Alert
            type="success"
            showIcon
            title={t('services.linkMade', {
              place: made.node.name,
              days: make.variables?.days ?? '',
              uses: made.maxUses,
            })}
            style={{ marginBottom: 12 }}
          />
          <Typography.Paragraph className="linli-svc-link" data-testid="invitation-link">
            {joinPageUrl(made.path)}
          </Typography.Paragraph>
          <Button
            icon={<CopyOutlined />}
            onClick={() =>
              void navigator.clipboard.writeText(joinPageUrl(made.path)).then(
                () => void message.success(t('services.copied')),
                () => void message.error(t('services.copyFailed')),
              )
            }
            data-testid="invitation-copy"
          >
            {t('services.copy')}
          </Button>
          {made.org && <p className="linli-muted">{t('services.joinsOrg', { org: made.org.name })}</p>}
        </div>
      ) : (
        <Form<InviteValues>
          form={form}
          layout="vertical"
          initialValues={{ nodeId: node?.id, days: 14, maxUses: 50 }}
          onFinish={(v) => make.mutate(v)}
          data-testid="invitation-form"
        >
          <Form.Item
            name="nodeId"
            label={t('services.invitePlace')}
            extra={t('services.invitePlaceHelp')}
            rules={[{ required: true }]}
          >
            <NodeTreeSelect valueLabel={node?.name} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="orgId" label={t('services.org')}>
            <Select allowClear placeholder={t('services.noOrg')} data-testid="invitation-org" {...orgs} />
          </Form.Item>
          <Form.Item
            name="days"
            label={t('services.validDays')}
            rules={[{ required: true, type: 'number', min: 1, max: SERVICES_LIMITS.invitationDaysMax }]}
          >
            <InputNumber min={1} max={SERVICES_LIMITS.invitationDaysMax} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="maxUses"
            label={t('services.maxUses')}
            rules={[{ required: true, type: 'number', min: 1, max: SERVICES_LIMITS.invitationUsesMax }]}
          >
            <InputNumber min={1} max={SERVICES_LIMITS.invitationUsesMax} style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

interface OrgValues {
  kind: VolunteerOrgKind;
  name: string;
  nodeId?: number;
  description?: string;
}

export function OrgModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { node } = useJurisdiction();
  const [form] = Form.useForm<OrgValues>();
  const onError = useFormErrorHandler();
  const refresh = useServicesRefresh();
  const save = useMutation({
    mutationFn: (v: OrgValues) =>
      createOrg({
        kind: v.kind,
        name: v.name.trim(),
        nodeId: v.nodeId ?? 0,
        description: v.description?.trim() ? v.description.trim() : null,
      }),
    onSuccess: (o) => {
      void message.success(t('services.orgCreated', { name: o.name }));
      refresh();
      onClose();
    },
    onError: (e) => onError(e, form, ['kind', 'name', 'nodeId', 'description']),
  });
  return (
    <Modal
      open
      title={t('services.newOrg')}
      onCancel={onClose}
      okText={t('common.create')}
      okButtonProps={{
        loading: save.isPending,
        'data-testid': 'org-save',
      }}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form<OrgValues>
        form={form}
        layout="vertical"
        initialValues={{ kind: 'ngo', nodeId: node?.id }}
        onFinish={(v) => save.mutate(v)}
        data-testid="org-form"
      >
        <Form.Item name="kind" label={t('services.orgKindLabel')} rules={[{ required: true }]}>
          <Select
            options={VOLUNTEER_ORG_KINDS.map((k) => ({ value: k, label: t(`services.orgKind.${k}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('services.orgName')}
          rules={[{ required: true, whitespace: true, max: SERVICES_LIMITS.nameChars }]}
        >
          <Input maxLength={SERVICES_LIMITS.nameChars} data-testid="org-name" />
        </Form.Item>
        <Form.Item name="nodeId" label={t('services.place')} rules={[{ required: true }]}>
          <NodeTreeSelect valueLabel={node?.name} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="description"
          label={t('services.description')}
          rules={[{ max: SERVICES_LIMITS.textChars }]}
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
