// /services — 服务联办, the coordinator's home (and the place's readers'): the needs waiting to be
// matched (open, assigned, escalated), the call-outs of their places (post one, or call out a
// checkpoint's uncovered shift), their volunteers (filters by organisation, skill and state; register
// one with consent, change one's state, organisation or profile, import a workbook, make an invitation
// link) and the organisations with their hours.
// Each action shows only as the caller's permissions and each record's abilities allow.
import { useState, type HTMLAttributes } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button, Card, Input, Segmented, Select, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  certificateUrl,
  useCallouts,
  useServiceRequests,
  useVolunteerOrgs,
  useVolunteers,
  type CalloutState,
  type CalloutView,
  type ServiceRequestView,
  type Skill,
  type VolunteerOrgView,
  type VolunteerState,
  type VolunteerView,
} from '../../api/services.js';
import { useAuth } from '../../app/auth.js';
import { useJurisdiction } from '../../app/jurisdiction.js';
import { ErrorAlert } from '../../app/components/ErrorAlert.js';
import { FilterBar } from '../../app/components/FilterBar.js';
import { ResponsiveTable } from '../../app/components/ResponsiveTable.js';
import { usePaging } from '../../app/usePaging.js';
import { CALLOUT_STATES, SKILLS, VOLUNTEER_STATES } from '../../../common/contracts/services-codes.js';
import { formatMinute } from '../mediation/dates.js';
import { AssignModal } from './AssignModal.js';
import { FromShiftModal, PostCalloutModal } from './CalloutForms.js';
import {
  EditVolunteerModal,
  ImportVolunteersModal,
  InvitationModal,
  OrgModal,
  RegisterVolunteerModal,
  useOrgOptions,
} from './VolunteerForms.js';
import { CalloutStateTag, RequestStateTag, hoursText, spanText } from './labels.js';
import './services.css';

type NeedsView = 'open' | 'assigned' | 'escalated' | 'all';

/** A list filter that picks one value, or none for all of them. */
function Choice<T extends string | number>({
  id,
  value,
  onChange,
  options,
  minWidth = 140,
}: {
  id: string;
  value: T | undefined;
  onChange: (v: T | undefined) => void;
  options: { value: T; label: string }[];
  minWidth?: number;
}) {
  const { t } = useTranslation();
  return (
    <Select<T>
      id={id}
      allowClear
      value={value}
      placeholder={t('common.all')}
      onChange={onChange}
      style={{ minWidth }}
      options={options}
    />
  );
}

function Needs() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { node } = useJurisdiction();
  const [view, setView] = useState<NeedsView>('open');
  const { paging, first, pagination } = usePaging();
  const [assigning, setAssigning] = useState<ServiceRequestView | null>(null);
  const list = useServiceRequests({
    node: node?.id,
    status: view === 'open' || view === 'assigned' ? view : undefined,
    escalated: view === 'escalated',
    ...paging,
  });
  return (
    <Card
      size="small"
      title={t('services.needsTitle')}
      extra={
        <Segmented<NeedsView>
          value={view}
          onChange={(v) => {
            setView(v);
            first();
          }}
          options={(['open', 'assigned', 'escalated', 'all'] as const).map((v) => ({
            value: v,
            label: t(`services.needsView.${v}`),
          }))}
          data-testid="needs-view"
        />
      }
      data-testid="needs"
    >
      {list.isError && <ErrorAlert error={list.error} style={{ marginBottom: 12 }} />}
      <ResponsiveTable<ServiceRequestView>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('services.noNeeds') }}
        onRow={(r) =>
          ({
            'data-testid': `need-${r.id}`,
            onClick: () => void navigate(`/service-requests/${r.id}`),
            style: { cursor: 'pointer' },
          }) as HTMLAttributes<HTMLElement>
        }
        columns={[
          {
            key: 'ref',
            title: t('services.reference'),
            render: (_: unknown, r: ServiceRequestView) => (
              <Link
                to={`/service-requests/${r.id}`}
                className="linli-svc-rowlink"
                onClick={(e) => e.stopPropagation()}
              >
                {r.reference} · {t(`services.requestKind.${r.kind}`)}
              </Link>
            ),
          },
          { key: 'person', title: t('services.person'), dataIndex: ['person', 'name'] },
          { key: 'node', title: t('services.place'), dataIndex: ['node', 'name'] },
          {
            key: 'status',
            title: t('services.status'),
            render: (_: unknown, r: ServiceRequestView) => <RequestStateTag r={r} />,
          },
          {
            key: 'volunteer',
            title: t('services.volunteer'),
            render: (_: unknown, r: ServiceRequestView) => r.volunteer?.name ?? '—',
          },
          {
            key: 'respondBy',
            title: t('services.respondByLabel'),
            render: (_: unknown, r: ServiceRequestView) => (
              <span className={r.overdue ? 'linli-overdue' : undefined}>{formatMinute(r.respondBy)}</span>
            ),
          },
          {
            key: 'actions',
            title: t('common.actions'),
            render: (_: unknown, r: ServiceRequestView) =>
              r.abilities.assign ? (
                <Button
                  onClick={(e) => {
                    e.stopPropagation();
                    setAssigning(r);
                  }}
                  data-testid={`assign-${r.id}`}
                >
                  {t('services.assign')}
                </Button>
              ) : null,
          },
        ]}
        pagination={pagination(list.data?.total)}
      />
      {assigning && <AssignModal r={assigning} onClose={() => setAssigning(null)} />}
    </Card>
  );
}

function Callouts() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { can } = useAuth();
  const { node } = useJurisdiction();
  const [status, setStatus] = useState<CalloutState | undefined>('open');
  const [posting, setPosting] = useState<'plain' | 'shift' | null>(null);
  const list = useCallouts({ node: node?.id, status });
  return (
    <Card size="small" title={t('services.calloutsTitle')} data-testid="callouts">
      {can('callouts.post') && (
        <div className="linli-svc-toolbar">
          <Button type="primary" onClick={() => setPosting('plain')} data-testid="callout-new">
            {t('services.postCallout')}
          </Button>
          {can('checkpoints.read') && (
            <Button onClick={() => setPosting('shift')} data-testid="callout-from-shift">
              {t('services.fromShift')}
            </Button>
          )}
        </div>
      )}
      <FilterBar
        active={status === 'open' ? 0 : 1}
        onClear={() => setStatus('open')}
        fields={[
          {
            id: 'callout-status',
            label: t('services.status'),
            control: (
              <Choice<CalloutState>
                id="callout-status"
                value={status}
                onChange={setStatus}
                options={CALLOUT_STATES.map((s) => ({ value: s, label: t(`services.calloutState.${s}`) }))}
              />
            ),
          },
        ]}
      />
      {list.isError && <ErrorAlert error={list.error} style={{ marginBottom: 12 }} />}
      <ResponsiveTable<CalloutView>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('services.noCallouts') }}
        pagination={{ pageSize: 10 }}
        onRow={(c) =>
          ({
            'data-testid': `callout-row-${c.id}`,
            onClick: () => void navigate(`/callouts/${c.id}`),
            style: { cursor: 'pointer' },
          }) as HTMLAttributes<HTMLElement>
        }
        columns={[
          {
            key: 'title',
            title: t('services.calloutTitle'),
            render: (_: unknown, c: CalloutView) => (
              <Link
                to={`/callouts/${c.id}`}
                className="linli-svc-rowlink"
                onClick={(e) => e.stopPropagation()}
              >
                {c.title}
              </Link>
            ),
          },
          {
            key: 'when',
            title: t('services.when'),
            render: (_: unknown, c: CalloutView) => spanText(c.startsAt, c.endsAt),
          },
          { key: 'where', title: t('services.meetingPoint'), dataIndex: 'meetingPoint' },
          { key: 'node', title: t('services.place'), dataIndex: ['node', 'name'] },
          {
            key: 'filled',
            title: t('services.signups'),
            render: (_: unknown, c: CalloutView) => t('services.filled', { n: c.filled, of: c.capacity }),
          },
          {
            key: 'status',
            title: t('services.status'),
            render: (_: unknown, c: CalloutView) => <CalloutStateTag c={c} />,
          },
        ]}
      />
      {posting === 'plain' && <PostCalloutModal onClose={() => setPosting(null)} />}
      {posting === 'shift' && <FromShiftModal onClose={() => setPosting(null)} />}
    </Card>
  );
}

function People() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { node } = useJurisdiction();
  const orgs = useOrgOptions();
  const [org, setOrg] = useState<number | undefined>();
  const [skill, setSkill] = useState<Skill | undefined>();
  const [status, setStatus] = useState<VolunteerState | undefined>();
  const [q, setQ] = useState('');
  const { paging, first, pagination } = usePaging();
  const [open, setOpen] = useState<'register' | 'import' | 'invite' | null>(null);
  const [editing, setEditing] = useState<VolunteerView | null>(null);
  const manages = can('volunteers.manage');
  const list = useVolunteers({
    node: node?.id,
    org,
    skill,
    status,
    q: q.trim() || undefined,
    ...paging,
  });
  /** A filter's change shows its first page. */
  const andFirst =
    <T,>(set: (v: T | undefined) => void) =>
    (v: T | undefined) => {
      set(v);
      first();
    };
  return (
    <Card size="small" title={t('services.peopleTitle')} data-testid="volunteers">
      {manages && (
        <div className="linli-svc-toolbar">
          <Button type="primary" onClick={() => setOpen('register')} data-testid="volunteer-register">
            {t('services.registerVolunteer')}
          </Button>
          <Button onClick={() => setOpen('invite')} data-testid="volunteer-invite">
            {t('services.invitation')}
          </Button>
          <Button onClick={() => setOpen('import')} data-testid="volunteer-import">
            {t('services.importVolunteers')}
          </Button>
        </div>
      )}
      <FilterBar
        search={
          <Input.Search
            allowClear
            aria-label={t('services.searchName')}
            placeholder={t('services.searchName')}
            onSearch={(v) => {
              setQ(v);
              first();
            }}
          />
        }
        active={(org ? 1 : 0) + (skill ? 1 : 0) + (status ? 1 : 0)}
        onClear={() => {
          setOrg(undefined);
          setSkill(undefined);
          setStatus(undefined);
          first();
        }}
        fields={[
          {
            id: 'volunteer-org',
            label: t('services.org'),
            control: (
              <Choice<number>
                id="volunteer-org"
                value={org}
                onChange={andFirst(setOrg)}
                minWidth={160}
                options={orgs.options}
              />
            ),
          },
          {
            id: 'volunteer-skill',
            label: t('services.skillLabel'),
            control: (
              <Choice<Skill>
                id="volunteer-skill"
                value={skill}
                onChange={andFirst(setSkill)}
                options={SKILLS.map((s) => ({ value: s, label: t(`services.skill.${s}`) }))}
              />
            ),
          },
          {
            id: 'volunteer-status',
            label: t('services.status'),
            control: (
              <Choice<VolunteerState>
                id="volunteer-status"
                value={status}
                onChange={andFirst(setStatus)}
                minWidth={120}
                options={VOLUNTEER_STATES.map((s) => ({
                  value: s,
                  label: t(`services.volunteerState.${s}`),
                }))}
              />
            ),
          },
        ]}
      />
      {list.isError && <ErrorAlert error={list.error} style={{ marginBottom: 12 }} />}
      <ResponsiveTable<VolunteerView>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('services.noVolunteers') }}
        onRow={(v) => ({ 'data-testid': `volunteer-${v.id}` }) as HTMLAttributes<HTMLElement>}
        columns={[
          {
            key: 'name',
            title: t('services.name'),
            render: (_: unknown, v: VolunteerView) => (
              <span>
                {v.name}
                {v.partyMember && (
                  <Tag color="red" style={{ marginInlineStart: 6 }}>
                    {t('services.partyMember')}
                  </Tag>
                )}
              </span>
            ),
          },
          {
            key: 'org',
            title: t('services.org'),
            render: (_: unknown, v: VolunteerView) => v.org?.name ?? '—',
          },
          { key: 'home', title: t('services.homePlace'), dataIndex: ['home', 'name'] },
          {
            key: 'skills',
            title: t('services.skills'),
            render: (_: unknown, v: VolunteerView) =>
              v.skills.map((s) => <Tag key={s}>{t(`services.skill.${s}`)}</Tag>),
          },
          {
            key: 'status',
            title: t('services.status'),
            render: (_: unknown, v: VolunteerView) => t(`services.volunteerState.${v.status}`),
          },
          {
            key: 'hours',
            title: t('services.hoursLabel'),
            render: (_: unknown, v: VolunteerView) => (
              <span data-testid={`volunteer-hours-${v.id}`}>{hoursText(v.hours)}</span>
            ),
          },
          {
            key: 'actions',
            title: t('common.actions'),
            render: (_: unknown, v: VolunteerView) => {
              const edit = manages && v.abilities.update;
              return edit || v.abilities.certificate ? (
                <div className="linli-svc-actions" style={{ marginTop: 0 }}>
                  {edit && (
                    <Button
                      onClick={() => setEditing(v)}
                      aria-label={t('services.editVolunteerTitle', { name: v.name })}
                      data-testid={`volunteer-edit-${v.id}`}
                    >
                      {t('common.edit')}
                    </Button>
                  )}
                  {v.abilities.certificate && (
                    <a href={certificateUrl(v.id)} download className="linli-link-button">
                      {t('services.certificateShort')}
                    </a>
                  )}
                </div>
              ) : null;
            },
          },
        ]}
        pagination={pagination(list.data?.total)}
      />
      {editing && <EditVolunteerModal v={editing} onClose={() => setEditing(null)} />}
      {open === 'register' && <RegisterVolunteerModal onClose={() => setOpen(null)} />}
      {open === 'import' && <ImportVolunteersModal onClose={() => setOpen(null)} />}
      {open === 'invite' && <InvitationModal onClose={() => setOpen(null)} />}
    </Card>
  );
}

function Orgs() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { node } = useJurisdiction();
  const orgs = useVolunteerOrgs(node?.id);
  const [creating, setCreating] = useState(false);
  return (
    <Card size="small" title={t('services.orgsTitle')} data-testid="orgs">
      {can('volunteers.manage') && (
        <div className="linli-svc-toolbar">
          <Button onClick={() => setCreating(true)} data-testid="org-new">
            {t('services.newOrg')}
          </Button>
        </div>
      )}
      {orgs.isError && <ErrorAlert error={orgs.error} style={{ marginBottom: 12 }} />}
      <ResponsiveTable<VolunteerOrgView>
        rowKey="id"
        size="middle"
        loading={orgs.isFetching}
        dataSource={orgs.data?.items ?? []}
        locale={{ emptyText: t('services.noOrgs') }}
        pagination={{ pageSize: 10 }}
        onRow={(o) => ({ 'data-testid': `org-${o.id}` }) as HTMLAttributes<HTMLElement>}
        columns={[
          { key: 'name', title: t('services.orgName'), dataIndex: 'name' },
          {
            key: 'kind',
            title: t('services.orgKindLabel'),
            render: (_: unknown, o: VolunteerOrgView) => t(`services.orgKind.${o.kind}`),
          },
          { key: 'node', title: t('services.place'), dataIndex: ['node', 'name'] },
          { key: 'volunteers', title: t('services.volunteersCount'), dataIndex: 'volunteers' },
          {
            key: 'hours',
            title: t('services.hoursLabel'),
            render: (_: unknown, o: VolunteerOrgView) => (
              <span data-testid={`org-hours-${o.id}`}>{hoursText(o.hours)}</span>
            ),
          },
        ]}
      />
      {creating && <OrgModal onClose={() => setCreating(false)} />}
    </Card>
  );
}

export default function ServicesHomePage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const reads = can('volunteers.read');
  return (
    <div>
      <div className="linli-page-title">
        <h1>{t('services.homeTitle')}</h1>
        {reads && (
          <Link to="/services/hours" className="linli-link-button">
            {t('nav.serviceHours')}
          </Link>
        )}
      </div>
      <div className="linli-svc-cardstack">
        {reads && <Needs />}
        <Callouts />
        {reads && <People />}
        {reads && <Orgs />}
      </div>
    </div>
  );
}
