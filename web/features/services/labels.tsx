// Joint services' states as tags, skills as tags, a call-out's time and a sign-up's times as one line,
// in the UI's language; the way back from a call-out or a request to the caller's own services page.
import { Link } from 'react-router';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type {
  CalloutView,
  RequestState,
  ServiceRequestView,
  SignupState,
  SignupView,
  Skill,
} from '../../api/services.js';
import { useAuth } from '../../app/auth.js';
import { formatHm, formatMinute } from '../mediation/dates.js';

/** "12-07 08:00–16:00" (the day once when it ends the same day). */
export function spanText(startsAt: string, endsAt: string): string {
  const from = formatMinute(startsAt);
  const to = formatMinute(endsAt);
  return from.slice(0, 10) === to.slice(0, 10)
    ? `${from.slice(5)}–${formatHm(endsAt)}`
    : `${from.slice(5)} – ${to.slice(5)}`;
}

/** Hours with one decimal, as the server counts them. */
export const hoursText = (h: number) => (Math.round(h * 10) / 10).toFixed(1);

/** Checked in, out and the hours served: what of it has happened, as one line. */
export function SignupTimes({
  s,
}: {
  s: Pick<SignupView, 'checkedInAt' | 'checkedOutAt' | 'status' | 'minutes'>;
}) {
  const { t } = useTranslation();
  return [
    s.checkedInAt && t('services.inAt', { at: formatMinute(s.checkedInAt) }),
    s.checkedOutAt && t('services.outAt', { at: formatMinute(s.checkedOutAt) }),
    s.status === 'done' && t('services.hoursN', { n: hoursText(s.minutes / 60) }),
  ]
    .filter(Boolean)
    .join(' · ');
}

/** The skills a volunteer has or a call-out asks for, as a row of tags (nothing when none). */
export function SkillTags({ skills }: { skills: readonly Skill[] }) {
  const { t } = useTranslation();
  if (skills.length === 0) return null;
  return (
    <div className="linli-svc-tags">
      {skills.map((k) => (
        <Tag key={k}>{t(`services.skill.${k}`)}</Tag>
      ))}
    </div>
  );
}

/** Back to the volunteer's own page, or to the coordinator's for whoever reads the place's records. */
export function ServicesBackLink() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const volunteer = can('callouts.join') && !can('volunteers.read');
  return (
    <Link to={volunteer ? '/volunteer' : '/services'} className="linli-link-button">
      {t(volunteer ? 'nav.volunteer' : 'nav.services')}
    </Link>
  );
}

export function CalloutStateTag({ c }: { c: Pick<CalloutView, 'status' | 'full'> }) {
  const { t } = useTranslation();
  if (c.status === 'open' && c.full) return <Tag color="orange">{t('services.full')}</Tag>;
  const color = c.status === 'open' ? 'green' : c.status === 'closed' ? 'default' : 'red';
  return <Tag color={color}>{t(`services.calloutState.${c.status}`)}</Tag>;
}

const SIGNUP_COLORS: Record<SignupState, string> = {
  signed_up: 'blue',
  withdrawn: 'default',
  checked_in: 'green',
  done: 'cyan',
  no_show: 'red',
};
export function SignupStateTag({ status }: { status: SignupState }) {
  const { t } = useTranslation();
  return (
    <Tag color={SIGNUP_COLORS[status]} data-testid="signup-status">
      {t(`services.signupState.${status}`)}
    </Tag>
  );
}

const REQUEST_COLORS: Record<RequestState, string> = {
  open: 'orange',
  assigned: 'blue',
  accepted: 'geekblue',
  done: 'green',
  cancelled: 'default',
};
export function RequestStateTag({ r }: { r: Pick<ServiceRequestView, 'status' | 'escalationLevel'> }) {
  const { t } = useTranslation();
  return (
    <>
      <Tag color={REQUEST_COLORS[r.status]} data-testid="request-status">
        {t(`services.requestState.${r.status}`)}
      </Tag>
      {r.escalationLevel > 0 && r.status !== 'done' && r.status !== 'cancelled' && (
        <Tag color="red">{t('services.escalated', { level: r.escalationLevel })}</Tag>
      )}
    </>
  );
}
