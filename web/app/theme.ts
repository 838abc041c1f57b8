// Ant Design theme: a calm government blue, compact radii, CJK-friendly font stack.
// Text colours meet WCAG AA (4.5:1) on white and on the page's grey: antd's defaults for secondary
// text (#8c8c8c), placeholders (#bfbfbf), danger (#ff4d4f) and the light tags' text (gold, orange,
// green… at shade 7) do not; the browser suite's accessibility check holds them to it.
import type { ThemeConfig } from 'antd';

/** The tags' text at the first shade that reads on the tag's own light background. */
const TAG_TEXT = {
  volcano7: '#ad2102',
  orange7: '#ad4e00',
  gold7: '#874d00',
  yellow7: '#876800',
  lime7: '#3f6600',
  green7: '#237804',
  cyan7: '#006d75',
};

export const theme: ThemeConfig = {
  // antd writes no component CSS in the browser: it comes prebuilt with the app's stylesheet, and the
  // build leaves antd's style functions out, so this stays on (virtual:antd.css,
  // scripts/antd-stylesheet.ts, ADR 0018). The tokens below stay CSS variables.
  zeroRuntime: true,
  token: {
    colorPrimary: '#1f5fbf',
    colorInfo: '#1f5fbf',
    colorError: '#cf1322',
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
    // Text in the status colours (Typography type="success"/"warning"): antd's #52c41a and #d48806
    // read at under 3:1 on white.
    colorSuccessText: '#237804',
    colorWarningText: '#ad4e00',
    borderRadius: 6,
    fontFamily:
      '-apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", "Helvetica Neue", Arial, sans-serif',
  },
  components: {
    Layout: { headerBg: '#ffffff', siderBg: '#001529', headerPadding: '0 16px', headerHeight: 56 },
    // The status tags (success, warning…) take their text from the status colours, which are made
    // for icons and borders, not for text on the tag's pale background.
    Tag: { ...TAG_TEXT, colorSuccess: '#237804', colorWarning: '#ad4e00' },
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
