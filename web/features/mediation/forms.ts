// A server's field errors onto a form whose fields include lists (parties, obligations, participants):
// an issue at `parties.3.idNumber` belongs to the field named ['parties', 3, 'idNumber'].
import { useCallback } from 'react';
import { App, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { fieldPath, isApiError } from '../../api/client.js';
import { useErrorTexts } from '../../app/errors.js';
import { normalizePhone, parseIdNumber } from '../../../common/validators.js';

/** Sets each issue under one of `roots` on its field; true when at least one was set. */
export function setListFieldErrors(form: FormInstance, err: unknown, roots: readonly string[]): boolean {
  if (!isApiError(err)) return false;
  const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
  for (const issue of err.issues) {
    const parts = fieldPath(issue.path)
      .split('.')
      .filter(Boolean)
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    if (parts.length === 0 || !roots.includes(String(parts[0]))) continue;
    const key = parts.join('.');
    const e = byField.get(key) ?? { name: parts, errors: [] };
    e.errors.push(issue.message);
    byField.set(key, e);
  }
  if (byField.size === 0) return false;
  form.setFields([...byField.values()]);
  return true;
}

/** A failed mutation: field errors on the form (lists included), the problem's title as a message. */
export function useListFormError() {
  const { message } = App.useApp();
  const { t } = useTranslation();
  const texts = useErrorTexts();
  return useCallback(
    (err: unknown, form?: FormInstance, roots: readonly string[] = []) => {
      const onFields = form ? setListFieldErrors(form, err, roots) : false;
      void message.error(
        onFields && isApiError(err) && err.code === 'validation_failed'
          ? t('common.fixFields')
          : texts.title(err),
      );
    },
    [message, t, texts],
  );
}

/** The ID number and phone rules of the party rows (the server checks them again). */
export function useIdentityRules() {
  const { t } = useTranslation();
  return {
    idNumber: {
      validator: (_: unknown, v: string | undefined) =>
        !v?.trim() || parseIdNumber(v).ok
          ? Promise.resolve()
          : Promise.reject(new Error(t('mediation.badId'))),
    },
    phone: {
      validator: (_: unknown, v: string | undefined) =>
        !v?.trim() || normalizePhone(v).ok
          ? Promise.resolve()
          : Promise.reject(new Error(t('mediation.badPhone'))),
    },
  };
}
