// Ant Design theme: a calm government blue, compact radii, CJK-friendly font stack.
import type { ThemeConfig } from 'antd';

export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#1f5fbf',
    colorInfo: '#1f5fbf',
    borderRadius: 6,
    fontFamily:
      '-apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", "Helvetica Neue", Arial, sans-serif',
  },
  components: {
    Layout: { headerBg: '#ffffff', siderBg: '#001529', headerPadding: '0 16px', headerHeight: 56 },
  },
};

export const PHONE_QUERY = '(max-width: 767.98px)';

/**
 * On a phone every control is a touch target of at least 44 × 44 px: buttons, inputs, selects,
 * pagination and menu items grow; the small sizes too, since a finger is no smaller for them.
 */
export const phoneTheme: ThemeConfig = {
  ...theme,
  token: { ...theme.token, controlHeight: 44, controlHeightSM: 44, controlHeightLG: 48 },
  components: {
    ...theme.components,
    Menu: { itemHeight: 48, itemMarginBlock: 2 },
  },
};
