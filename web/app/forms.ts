// Server validation errors onto antd forms: issue paths become field errors, the rest a message.
import { App, type FormInstance } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldPath, isApiError } from '../api/client.js';
import { useErrorTexts, type ErrorTexts } from './errors.js';

/** Issue path (without `body.`) → form field name. */
export type FieldMap = Record<string, string>;

/**
 * Puts each issue whose path names one of `fields` (after `map`) on that field.
 * Returns true when at least one field got an error.
 */
export function setFormErrors(
  form: FormInstance,
  err: unknown,
  fields: readonly string[],
  map: FieldMap = {},
  texts?: Pick<ErrorTexts, 'issue'>,
): boolean {
  if (!isApiError(err)) return false;
  const known = new Set(fields);
  const byField = new Map<string, string[]>();
  for (const issue of err.issues) {
    const path = fieldPath(issue.path);
    const name = map[path] ?? path;
    if (!known.has(name)) continue;
    byField.set(name, [...(byField.get(name) ?? []), texts ? texts.issue(issue) : issue.message]);
  }
  if (byField.size === 0) return false;
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  return true;
}

/** Returns a handler for a failed mutation: field errors on the form, the problem title as a message. */
export function useFormErrorHandler() {
  const { message } = App.useApp();
  const { t } = useTranslation();
  const texts = useErrorTexts();
  return useCallback(
    (err: unknown, form?: FormInstance, fields: readonly string[] = [], map?: FieldMap) => {
      const onFields = form ? setFormErrors(form, err, fields, map, texts) : false;
      const title = texts.title(err);
      void message.error(
        onFields && isApiError(err) && err.code === 'validation_failed' ? t('common.fixFields') : title,
      );
    },
    [message, t, texts],
  );
}
