// /s/:token — the person's own questionnaire, through the one-time link a counsellor or the village
// sent them, without signing in. Large type and large answers, one item under another; every answer is
// kept as it is given (half a second after the last change, and when the page is closed or left), so
// reopening the link shows the answers so far. Submitting is possible once every scored item is
// answered; what follows is a thank-you and where to find help, never the score or its meaning. A link
// used or expired says so in the server's own words (in the page's language), kindly.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { Button, ConfigProvider, Radio, Spin, type ThemeConfig } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client.js';
import {
  keepScaleDraft,
  saveScaleDraft,
  submitScale,
  usePublicScale,
  type PublicScale,
  type ScaleAnswers,
} from '../../../api/care.js';
import { useErrorTexts } from '../../../app/errors.js';
import { formatTime, useLabel } from '../../../app/format.js';
import { LangSwitch } from '../../../app/components/LangSwitch.js';
import { FINGER_THEME } from '../../public/fingerTheme.js';
import { answersFrom, complete, progress } from '../model.js';
import '../care.css';

/** Large type for every age and eyesight: 20 px text, controls a finger and a half high. */
const SCALE_THEME: ThemeConfig = {
  token: { ...FINGER_THEME.token, fontSize: 20, controlHeight: 52, controlHeightLG: 56, controlHeightSM: 44 },
  components: { Radio: { radioSize: 24, dotSize: 12 } },
};
/** How long after the last answer the draft is kept. */
const SAVE_AFTER_MS = 500;
/** The national psychological help hotline, and the emergency numbers (police, ambulance). */
const HOTLINE = '12356';
const EMERGENCY = [
  ['110', 'police'],
  ['120', 'ambulance'],
] as const;

/** A link that cannot be used (used, expired, unknown, malformed): the page says so, nothing else. */
const isGone = (e: unknown) => isApiError(e) && [400, 404, 410].includes(e.status);

/** Where to find help: on the form, after submitting, and on a link that no longer works. */
function HelpLines() {
  const { t } = useTranslation();
  return (
    <section className="linli-scale-help" aria-labelledby="scale-help-title">
      <h2 id="scale-help-title">{t('care.pub.helpTitle')}</h2>
      <p>{t('care.pub.hotline')}</p>
      <p className="linli-scale-tels">
        <a href={`tel:${HOTLINE}`} className="linli-scale-tel">
          {HOTLINE}
        </a>
      </p>
      <p>{t('care.pub.emergency')}</p>
      <p className="linli-scale-tels">
        {EMERGENCY.map(([n, what]) => (
          <a key={n} href={`tel:${n}`} className="linli-scale-tel">
            {n} <span className="linli-scale-tel-what">{t(`care.pub.${what}`)}</span>
          </a>
        ))}
      </p>
    </section>
  );
}

type SaveState =
  { state: 'idle' } | { state: 'saving' } | { state: 'saved'; at: string } | { state: 'failed' };

function Questionnaire({
  token,
  scale,
  onGone,
  onDone,
}: {
  token: string;
  scale: PublicScale;
  onGone: (e: unknown) => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const label = useLabel();
  const texts = useErrorTexts();
  const def = scale.definition;
  const [answers, setAnswers] = useState<ScaleAnswers>(() => answersFrom(def, scale.draft));
  const [saved, setSaved] = useState<SaveState>(
    scale.draft?.some((v) => v !== null) ? { state: 'saved', at: '' } : { state: 'idle' },
  );
  // The answers not yet kept, a save on its way, the timer of the next one, and the end (submitted).
  const pending = useRef<ScaleAnswers | null>(null);
  const inFlight = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const finished = useRef(false);

  const flush = useCallback(async () => {
    clearTimeout(timer.current);
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      // One save at a time, the latest answers each time, until nothing is left to keep.
      while (pending.current && !finished.current) {
        const body = pending.current;
        pending.current = null;
        setSaved({ state: 'saving' });
        try {
          const r = await saveScaleDraft(token, body);
          setSaved({ state: 'saved', at: r.savedAt });
        } catch (e) {
          if (isGone(e)) {
            finished.current = true;
            onGone(e);
          } else {
            // Kept for the next change, or for the page's leaving.
            pending.current ??= body;
            setSaved({ state: 'failed' });
          }
          break;
        }
      }
    } finally {
      inFlight.current = false;
    }
  }, [token, onGone]);

  // Leaving the page (closed, switched away from, reloaded): what is not kept yet goes now.
  useEffect(() => {
    const leave = () => {
      if (finished.current || !pending.current) return;
      clearTimeout(timer.current);
      keepScaleDraft(token, pending.current);
      pending.current = null;
    };
    const onHidden = () => {
      if (document.visibilityState === 'hidden') leave();
    };
    window.addEventListener('pagehide', leave);
    document.addEventListener('visibilitychange', onHidden);
    return () => {
      window.removeEventListener('pagehide', leave);
      document.removeEventListener('visibilitychange', onHidden);
      leave();
    };
  }, [token]);

  const answer = (i: number, v: number) => {
    const next = answers.map((a, j) => (j === i ? v : a));
    setAnswers(next);
    pending.current = next;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void flush(), SAVE_AFTER_MS);
  };

  const submit = useMutation({
    mutationFn: () => {
      clearTimeout(timer.current);
      pending.current = null;
      return submitScale(token, answers);
    },
    onSuccess: () => {
      finished.current = true;
      onDone();
    },
    onError: (e) => {
      if (isGone(e)) {
        finished.current = true;
        onGone(e);
      } else pending.current = answers;
    },
  });

  const ready = complete(def, answers);
  const { done, of } = progress(def, answers);
  return (
    <form
      className="linli-scale-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready && !submit.isPending) submit.mutate();
      }}
    >
      <p className="linli-scale-greeting">{t('care.pub.greeting', { name: scale.greeting })}</p>
      <p>{t('care.pub.why')}</p>
      <p className="linli-scale-note">{t('care.pub.private')}</p>
      <p className="linli-scale-intro">{label(def.intro)}</p>
      <ol className="linli-scale-items">
        {def.items.map((it, i) => {
          const options = it.options ?? def.options;
          const legendId = `scale-item-${i}`;
          return (
            <li key={it.key}>
              <fieldset className="linli-scale-item">
                <legend id={legendId}>
                  <span className="linli-scale-no">{`${i + 1}.`}</span> {label(it.label)}
                  {!it.scored && <span className="linli-scale-optional">{t('care.pub.optional')}</span>}
                </legend>
                <Radio.Group
                  name={`scale-${it.key}`}
                  className="linli-scale-options"
                  value={answers[i] ?? null}
                  onChange={(e) => answer(i, e.target.value as number)}
                  aria-labelledby={legendId}
                >
                  {options.map((o) => (
                    <Radio key={o.value} value={o.value}>
                      {label(o.label)}
                    </Radio>
                  ))}
                </Radio.Group>
              </fieldset>
            </li>
          );
        })}
      </ol>
      <div className="linli-scale-submit">
        <p className="linli-scale-progress">{t('care.pub.progress', { done, of })}</p>
        <p className="linli-scale-saved" role="status" aria-live="polite">
          {saved.state === 'saving' && t('care.pub.saving')}
          {saved.state === 'saved' && t('care.pub.saved')}
          {saved.state === 'failed' && t('care.pub.saveFailed')}
        </p>
        {submit.isError && !isGone(submit.error) && (
          <p className="linli-scale-error" role="alert">
            {texts.title(submit.error)}
          </p>
        )}
        <Button
          type="primary"
          htmlType="submit"
          size="large"
          block
          disabled={!ready}
          loading={submit.isPending}
        >
          {t('care.pub.submit')}
        </Button>
        {!ready && <p className="linli-muted">{t('care.pub.answerAll')}</p>}
        <p className="linli-muted">
          {t('care.pub.expires', { at: formatTime(scale.expiresAt).slice(0, 16) })}
        </p>
      </div>
      <HelpLines />
    </form>
  );
}

export default function ScalePage() {
  const { t } = useTranslation();
  const label = useLabel();
  const texts = useErrorTexts();
  const token = useParams().token ?? '';
  const query = usePublicScale(token);
  const [done, setDone] = useState(false);
  const [goneError, setGoneError] = useState<unknown>(null);
  const onDone = useCallback(() => setDone(true), []);
  const v = query.data;
  // Once submitted, the thanks stay whatever a refetch (a change of language) answers.
  const gone = !done && (goneError ?? (query.isError && isGone(query.error) ? query.error : null));
  const failed = !done && !gone && query.isError;
  return (
    <ConfigProvider theme={SCALE_THEME}>
      <main className="linli-public linli-scale-page">
        <div className="linli-scale-top">
          <h1>{v && !gone && !done ? label(v.title) : t('care.pub.title')}</h1>
          <LangSwitch />
        </div>
        {done ? (
          <div className="linli-scale-done" role="status" data-testid="scale-done">
            <h2>{t('care.pub.thanksTitle')}</h2>
            <p>{t('care.pub.thanksText')}</p>
            <p>{t('care.pub.mayCall')}</p>
            <HelpLines />
          </div>
        ) : gone ? (
          <div className="linli-scale-done" role="status" data-testid="scale-gone">
            <h2>{isApiError(gone) && gone.status === 400 ? t('care.pub.linkInvalid') : texts.title(gone)}</h2>
            <p>{t('care.pub.goneHelp')}</p>
            <HelpLines />
          </div>
        ) : failed ? (
          <div className="linli-scale-done" role="alert">
            <h2>{texts.title(query.error)}</h2>
            <Button onClick={() => void query.refetch()}>{t('common.retry')}</Button>
            <HelpLines />
          </div>
        ) : v ? (
          <Questionnaire token={token} scale={v} onGone={setGoneError} onDone={onDone} />
        ) : (
          <div className="linli-center">
            <Spin size="large" />
          </div>
        )}
      </main>
    </ConfigProvider>
  );
}
