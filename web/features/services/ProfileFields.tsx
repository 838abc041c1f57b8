// A volunteer's profile as form fields, one set for every form that asks it: registering a volunteer,
// joining through an invitation, editing one. Party membership and skills always; with `full`, their
// certifications, the languages they speak and the weekly windows they can come in. Inside an antd
// Form whose values carry these names.
import { Button, Checkbox, Form, Input, Select } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { CERTIFICATIONS, LANGUAGES, SKILLS } from '../../../common/contracts/services-codes.js';
import type { FieldMap } from '../../app/forms.js';

/** Monday first, as a week is read here; the day stored is JavaScript's (0 Sunday … 6 Saturday). */
const WEEK = [
  [1, 'mon'],
  [2, 'tue'],
  [3, 'wed'],
  [4, 'thu'],
  [5, 'fri'],
  [6, 'sat'],
  [0, 'sun'],
] as const;
/** The contract's bound on a volunteer's availability windows. */
const MAX_WINDOWS = 21;

/** The fields these controls fill, for a form's server-issue handler. */
export const PROFILE_FIELDS = ['partyMember', 'skills', 'certifications', 'languages', 'availability'];
/** A window's issue (`availability.<i>.<field>`) shown on the windows' list as a whole. */
export const WINDOW_ISSUES: FieldMap = Object.fromEntries(
  Array.from({ length: MAX_WINDOWS }, (_, i) =>
    ['day', 'from', 'to'].map((f) => [`availability.${i}.${f}`, 'availability'] as const),
  ).flat(),
);

function AvailabilityList({ testId }: { testId: string }) {
  const { t } = useTranslation();
  const days = WEEK.map(([day, name]) => ({ value: day, label: t(`services.weekday.${name}`) }));
  return (
    <Form.Item label={t('services.availability')} extra={t('services.availabilityHelp')}>
      <Form.List name="availability">
        {(items, { add, remove }, { errors }) => (
          <div data-testid={`${testId}-availability`}>
            {items.map(({ key, name }, i) => (
              <div key={key} className="linli-svc-window" data-testid={`${testId}-window-${i}`}>
                <Form.Item name={[name, 'day']} rules={[{ required: true }]} className="linli-svc-window-day">
                  <Select aria-label={t('services.windowDay', { n: i + 1 })} options={days} />
                </Form.Item>
                <Button
                  icon={<DeleteOutlined />}
                  aria-label={t('services.removeWindow', { n: i + 1 })}
                  className="linli-svc-window-remove"
                  onClick={() => remove(name)}
                />
                <Form.Item
                  name={[name, 'from']}
                  rules={[{ required: true }]}
                  className="linli-svc-window-from"
                >
                  <Input type="time" aria-label={t('services.windowFrom', { n: i + 1 })} />
                </Form.Item>
                <Form.Item
                  name={[name, 'to']}
                  className="linli-svc-window-to"
                  dependencies={[['availability', name, 'from']]}
                  rules={[
                    { required: true },
                    ({ getFieldValue }) => ({
                      validator: (_, to: string | undefined) => {
                        const from = getFieldValue(['availability', name, 'from']) as string | undefined;
                        return !from || !to || from < to
                          ? Promise.resolve()
                          : Promise.reject(new Error(t('services.windowOrder')));
                      },
                    }),
                  ]}
                >
                  <Input type="time" aria-label={t('services.windowTo', { n: i + 1 })} />
                </Form.Item>
              </div>
            ))}
            <Form.ErrorList errors={errors} />
            <Button
              icon={<PlusOutlined />}
              disabled={items.length >= MAX_WINDOWS}
              onClick={() => add({ day: 1, from: '09:00', to: '12:00' })}
              data-testid={`${testId}-window-add`}
            >
              {t('services.addWindow')}
            </Button>
          </div>
        )}
      </Form.List>
    </Form.Item>
  );
}

/** One of the profile's lists as a grid of ticks, a row tall each. */
function Ticks({
  name,
  label,
  testId,
  options,
}: {
  name: string;
  label: string;
  testId: string;
  options: { value: string; label: string }[];
}) {
  return (
    <Form.Item name={name} label={label}>
      <Checkbox.Group className="linli-svc-checks" data-testid={`${testId}-${name}`} options={options} />
    </Form.Item>
  );
}

export function ProfileFields({ testId, full = false }: { testId: string; full?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name="partyMember" valuePropName="checked">
        <Checkbox className="linli-svc-check" data-testid={`${testId}-party`}>
          {t('services.partyMember')}
        </Checkbox>
      </Form.Item>
      <Ticks
        name="skills"
        label={t('services.skills')}
        testId={testId}
        options={SKILLS.map((s) => ({ value: s, label: t(`services.skill.${s}`) }))}
      />
      {full && (
        <>
          <Ticks
            name="certifications"
            label={t('services.certifications')}
            testId={testId}
            options={CERTIFICATIONS.map((c) => ({ value: c, label: t(`services.certification.${c}`) }))}
          />
          <Ticks
            name="languages"
            label={t('services.languages')}
            testId={testId}
            options={LANGUAGES.map((l) => ({ value: l, label: t(`services.language.${l}`) }))}
          />
          <AvailabilityList testId={testId} />
        </>
      )}
    </>
  );
}
