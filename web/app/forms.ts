// Server validation errors onto antd forms: issue paths become field errors, the rest a message.
import { App, type FormInstance } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client.js';

export type FieldMap = Record<string, string>;

/** The text to show for any error: the problem title and detail, or the message. */
export function errorText(err: unknown): string {
  if (isApiError(err)) return err.detail && err.detail !== err.title ? `${err.title}: ${err.detail}` : err.title;
  if (err instanceof Error) return err.message;
  return String(err);
}

/**
 * Puts each issue whose path names one of `fields` (after `map`) on that field.
 * Returns true when at least one field got an error.
 */
export function setFormErrors(form: FormInstance, err: unknown, fields: readonly string[], map: FieldMap = {}): boolean {
  if (!isApiError(err)) return false;
  const known = new Set(fields);
  const byField = new Map<string, string[]>();
  for (const issue of err.issues) {
    const name = map[issue.path] ?? issue.path;
    if (!known.has(name)) continue;
    byField.set(name, [...(byField.get(name) ?? []), issue.message]);
  }
  if (byField.size === 0) return false;
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  return true;
}

/** Returns a handler for a failed mutation: field errors on the form, everything else as a message. */
export function useFormErrorHandler() {
  const { message } = App.useApp();
  const { t } = useTranslation();
  return useCallback(
    (err: unknown, form?: FormInstance, fields: readonly string[] = [], map?: FieldMap) => {
      const onFields = form ? setFormErrors(form, err, fields, map) : false;
      if (onFields) void message.error(t('common.fixFields'));
      else void message.error(errorText(err));
    },
    [message, t],
  );
}
