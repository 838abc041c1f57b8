// Problem titles in the user's language. The server's titles are English and sometimes name the
// record ("Code 001 is already used under 镇1"); in Chinese a known code gets its own text.
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError, type ProblemIssue } from '../api/client.js';
import { zhCN } from './locales/zh-CN.js';

type ErrorKey = keyof typeof zhCN.errors;
type IssueKey = keyof typeof zhCN.issues;

const errorKey = (code: string): ErrorKey | null => {
  const k = code.replace(/\./g, '_');
  return Object.hasOwn(zhCN.errors, k) ? (k as ErrorKey) : null;
};
const issueKey = (code: string): IssueKey | null =>
  Object.hasOwn(zhCN.issues, code) ? (code as IssueKey) : null;

export interface ErrorTexts {
  /** The title to show: translated from the code in Chinese, the server's own in English. */
  title: (err: unknown) => string;
  /** The server's own title when `title` replaced it, else undefined. */
  original: (err: unknown) => string | undefined;
  issue: (issue: ProblemIssue) => string;
}

export function useErrorTexts(): ErrorTexts {
  const { t, i18n } = useTranslation();
  const zh = i18n.language !== 'en';
  const translated = useCallback(
    (err: unknown): string | null => {
      if (!isApiError(err)) return null;
      const k = errorKey(err.code);
      return k && zh ? t(`errors.${k}`) : null;
    },
    [t, zh],
  );
  const title = useCallback(
    (err: unknown): string => {
      const tr = translated(err);
      if (tr) return tr;
      if (isApiError(err)) return err.title;
      if (err instanceof Error) return err.message;
      return typeof err === 'string' ? err : JSON.stringify(err);
    },
    [translated],
  );
  const original = useCallback(
    (err: unknown): string | undefined =>
      isApiError(err) && translated(err) && err.title !== translated(err) ? err.title : undefined,
    [translated],
  );
  const issue = useCallback(
    (i: ProblemIssue): string => {
      const k = issueKey(i.code);
      return k && zh ? t(`issues.${k}`) : i.message;
    },
    [t, zh],
  );
  return { title, original, issue };
}
