// The resident's pages are used on a phone: every control at least 44 px high, as touch guidelines ask.
import type { ThemeConfig } from 'antd';

export const FINGER_THEME: ThemeConfig = {
  token: { controlHeight: 44, controlHeightLG: 48, controlHeightSM: 44 },
};
