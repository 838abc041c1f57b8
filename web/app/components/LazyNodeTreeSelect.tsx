// The jurisdiction picker on demand, for the header: a button with the chosen place's name until it is
// pressed, then the picker itself, open. The picker (select, tree and virtual list, some 50 kB of
// gzipped script) is fetched at that press, so a first load that only shows the place, as a grid
// worker's phone does on every page, does not carry it (bench/README.md, web).
import { lazy, Suspense, useState, type ComponentType } from 'react';
import { Button } from 'antd';
import { DownOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { NodeTreeSelectProps } from './NodeTreeSelect.js';

/** The picker hands other props to antd's TreeSelect: it opens with its list shown and the focus in it. */
type OpenedProps = NodeTreeSelectProps & { defaultOpen?: boolean; autoFocus?: boolean };
const Picker = lazy(() =>
  import('./NodeTreeSelect.js').then((m) => ({ default: m.NodeTreeSelect as ComponentType<OpenedProps> })),
);

export function LazyNodeTreeSelect(props: NodeTreeSelectProps) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const trigger = (
    <Button
      className={props.className}
      style={{ ...props.style, justifyContent: 'space-between' }}
      disabled={props.disabled}
      data-testid={props['data-testid']}
      aria-haspopup="tree"
      loading={opened}
      icon={<DownOutlined />}
      iconPlacement="end"
      onClick={() => setOpened(true)}
    >
      <span style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
        {props.valueLabel ?? props.placeholder ?? t('nodes.pick')}
      </span>
    </Button>
  );
  if (!opened) return trigger;
  return (
    <Suspense fallback={trigger}>
      <Picker {...props} defaultOpen autoFocus />
    </Suspense>
  );
}
