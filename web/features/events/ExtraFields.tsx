// A category's extra form fields (e.g. 涉及人数 for unpaid wages), under `attributes.<code>`.
import { Form, Input, InputNumber, Select } from 'antd';
import type { EventCategory } from '../../api/events.js';
import { useLabel } from '../../app/format.js';

export function ExtraFields({ fields }: { fields: EventCategory['extraFields'] }) {
  const label = useLabel();
  return (
    <>
      {fields.map((f) => (
        <Form.Item
          key={f.code}
          name={['attributes', f.code]}
          label={label({ zh: f.labelZh, en: f.labelEn })}
          rules={[{ required: f.required }]}
        >
          {f.type === 'choice' ? (
            <Select
              data-testid={`field-${f.code}`}
              options={(f.choices ?? []).map((c) => ({ value: c, label: c }))}
            />
          ) : f.type === 'integer' || f.type === 'decimal' ? (
            <InputNumber
              data-testid={`field-${f.code}`}
              precision={f.type === 'integer' ? 0 : undefined}
              style={{ width: 200 }}
            />
          ) : (
            <Input data-testid={`field-${f.code}`} maxLength={500} />
          )}
        </Form.Item>
      ))}
    </>
  );
}
