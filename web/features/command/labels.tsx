// Tags and labels of the command system, bilingual from the shared contract.
import { Tag } from 'antd';
import {
  PRIORITY_LABELS,
  RESPONSE_LEVEL_LABELS,
  TARGET_STATE_LABELS,
} from '../../../common/contracts/command-codes.js';
import type { DirectiveSummary, DirectiveTarget, IncidentCommand } from '../../api/command.js';
import { useLabel } from '../../app/format.js';

const PRIORITY_COLORS = { normal: 'default', urgent: 'orange', critical: 'red' } as const;
const STATE_COLORS = { pending: 'gold', signed: 'blue', reported: 'green' } as const;
const RESPONSE_COLORS = { I: 'red', II: 'orange', III: 'gold', IV: 'blue' } as const;

export function PriorityTag({ priority }: { priority: DirectiveSummary['priority'] }) {
  const label = useLabel();
  return <Tag color={PRIORITY_COLORS[priority]}>{label(PRIORITY_LABELS[priority])}</Tag>;
}
export function TargetStateTag({ state }: { state: DirectiveTarget['state'] }) {
  const label = useLabel();
  return (
    <Tag color={STATE_COLORS[state]} data-testid={`target-state-${state}`}>
      {label(TARGET_STATE_LABELS[state])}
    </Tag>
  );
}
export function ResponseLevelTag({ level }: { level: IncidentCommand['responseLevel'] }) {
  const label = useLabel();
  return <Tag color={RESPONSE_COLORS[level]}>{label(RESPONSE_LEVEL_LABELS[level])}</Tag>;
}
