// Joint mediation's states as tags, in the UI's language.
import { useCallback } from 'react';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  SESSION_MODES,
  type AgreementState,
  type CaseState,
  type ConfirmationState,
  type Consent,
  type SessionMode,
} from '../../../common/contracts/mediation-codes.js';

/** A session's mode in words (the agenda answers it as a plain string). */
export function useModeLabel(): (mode: string) => string {
  const { t } = useTranslation();
  return useCallback(
    (mode: string) =>
      (SESSION_MODES as readonly string[]).includes(mode) ? t(`mediation.mode.${mode as SessionMode}`) : mode,
    [t],
  );
}

const CASE_COLORS: Record<CaseState, string> = {
  received: 'blue',
  mediating: 'geekblue',
  signing: 'gold',
  agreed: 'green',
  failed: 'red',
  withdrawn: 'default',
  refused: 'volcano',
  referred: 'purple',
};
export function CaseStateTag({ status }: { status: CaseState }) {
  const { t } = useTranslation();
  return (
    <Tag color={CASE_COLORS[status]} data-testid="case-status">
      {t(`mediation.status.${status}`)}
    </Tag>
  );
}

const CONSENT_COLORS: Record<Consent, string> = { pending: 'default', yes: 'green', no: 'red' };
export function ConsentTag({ consent }: { consent: Consent }) {
  const { t } = useTranslation();
  return <Tag color={CONSENT_COLORS[consent]}>{t(`mediation.consent.${consent}`)}</Tag>;
}

const AGREEMENT_COLORS: Record<AgreementState, string> = {
  signing: 'gold',
  in_effect: 'green',
  void: 'default',
};
export function AgreementStateTag({ status }: { status: AgreementState }) {
  const { t } = useTranslation();
  return (
    <Tag color={AGREEMENT_COLORS[status]} data-testid="agreement-status">
      {t(`mediation.agreementStatus.${status}`)}
    </Tag>
  );
}

const CONFIRMATION_COLORS: Record<ConfirmationState, string> = {
  submitted: 'blue',
  accepted: 'geekblue',
  not_accepted: 'volcano',
  confirmed: 'green',
  refused: 'red',
};
export function ConfirmationStateTag({ status }: { status: ConfirmationState }) {
  const { t } = useTranslation();
  return (
    <Tag color={CONFIRMATION_COLORS[status]} data-testid="confirmation-status">
      {t(`mediation.confirmationStatus.${status}`)}
    </Tag>
  );
}
