// The signed-in shell. On a desktop: the Sider menu grouped by linkage, and a header with the
// jurisdiction switcher, language, current user and logout. On a phone: one header line (menu button,
// brand mark, bell, the user's menu holding language and logout) and a Drawer with the jurisdiction
// switcher and the short menu (web/app/nav.ts decides what is on it).
import { lazy, Suspense, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { Button, Layout, type MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from './auth.js';
import { toChosen, useJurisdiction } from './jurisdiction.js';
import { LazyNodeTreeSelect } from './components/LazyNodeTreeSelect.js';
import { LangSwitch } from './components/LangSwitch.js';
import { PageSpin } from './components/PageSpin.js';
import { useIsPhone } from './useIsPhone.js';
import { currentLang, setLang } from './i18n.js';
import { NotificationBell } from '../features/notifications/NotificationBell.js';
import { LiveIndicator, LiveUpdates } from './LiveUpdates.js';
import { NAV_GROUPS, navFor, phoneMenu, selectedKey, type NavItem } from './nav.js';
import { useHome } from './useHome.js';
import './shell.css';

// The menus are a chunk of their own (ShellMenus.tsx): a phone fetches it at the first press.
const shellMenus = () => import('./ShellMenus.js');
const NavMenu = lazy(() => shellMenus().then((m) => ({ default: m.NavMenu })));
const NavDrawer = lazy(() => shellMenus().then((m) => ({ default: m.NavDrawer })));
const UserDropdown = lazy(() => shellMenus().then((m) => ({ default: m.UserDropdown })));
const warmMenus = () => void shellMenus();

function NodeSwitcher({ id }: { id?: string }) {
  const { node, setNode } = useJurisdiction();
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  return (
    <LazyNodeTreeSelect
      id={id}
      data-testid="node-switcher"
      aria-label={t('layout.jurisdiction')}
      className="linli-node-switcher"
      value={node?.id}
      valueLabel={node?.name}
      placeholder={t('layout.chooseNode')}
      onChange={(_id, n) => {
        if (!n) return;
        setNode(toChosen(n));
        // The tree page shows the chosen node.
        if (location.pathname.startsWith('/tree')) void navigate(`/tree/${n.id}`);
      }}
    />
  );
}

function MenuIcon() {
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden focusable="false" fill="currentColor">
      <rect x="3" y="5" width="18" height="2" rx="1" />
      <rect x="3" y="11" width="18" height="2" rx="1" />
      <rect x="3" y="17" width="18" height="2" rx="1" />
    </svg>
  );
}

/** The phone header's user button: the name (the harness waits for it) and a menu of account, language, logout. */
function UserMenu() {
  const { t, i18n } = useTranslation();
  const { me, logout } = useAuth();
  const navigate = useNavigate();
  const lang = currentLang(i18n.language);
  const items: MenuProps['items'] = [
    {
      key: 'account',
      label: <span data-testid="user-menu-account">{t('nav.account')}</span>,
    },
    {
      key: 'lang',
      label: (
        <span data-testid="lang-switch" lang={lang === 'en' ? 'zh-CN' : 'en'}>
          {t('layout.langMenuItem')}
        </span>
      ),
    },
    { type: 'divider' },
    { key: 'logout', danger: true, label: <span data-testid="logout">{t('layout.logout')}</span> },
  ];
  const [open, setOpen] = useState(false);
  /** Pressed once: the menu's code is fetched and from then on the dropdown owns the clicks. */
  const [armed, setArmed] = useState(false);
  const button = (
    <Button
      type="text"
      className="linli-user-button"
      data-testid="user-menu"
      aria-label={t('layout.userMenu', { name: me.user.displayName })}
      aria-haspopup="menu"
      aria-expanded={open}
      onPointerDown={warmMenus}
      onClick={
        armed
          ? undefined
          : () => {
              setArmed(true);
              setOpen(true);
            }
      }
    >
      <span className="linli-user-avatar" aria-hidden data-initial={me.user.displayName.slice(0, 1)} />
      <span data-testid="current-user" className="linli-current-user" title={me.user.username}>
        {me.user.displayName}
      </span>
    </Button>
  );
  if (!armed) return button;
  return (
    <Suspense fallback={button}>
      <UserDropdown
        open={open}
        onOpenChange={setOpen}
        items={items}
        onChoose={(key) => {
          if (key === 'account') void navigate('/account');
          if (key === 'lang') setLang(lang === 'en' ? 'zh-CN' : 'en');
          if (key === 'logout') void logout();
        }}
      >
        {button}
      </UserDropdown>
    </Suspense>
  );
}

export default function AppLayout() {
  const { t } = useTranslation();
  const { me, can, logout } = useAuth();
  const isPhone = useIsPhone();
  const home = useHome();
  const [drawerOpen, setDrawerOpen] = useState(false);
  /** The drawer is mounted (and its code fetched) at the first press of the menu button. */
  const [drawerArmed, setDrawerArmed] = useState(false);
  const location = useLocation();
  const navigate = useNavigate();

  const all = navFor(can);
  const shown = isPhone ? phoneMenu(all, home) : all.filter((n) => !n.hidden);
  const entry = (n: NavItem) => ({
    key: n.key,
    label: <span data-testid={`nav-${n.key.slice(1)}`}>{t(n.label)}</span>,
  });
  const items: MenuProps['items'] = NAV_GROUPS.flatMap((g): NonNullable<MenuProps['items']> => {
    const inGroup = shown.filter((n) => n.group === g);
    if (inGroup.length === 0) return [];
    // My tasks stands alone at the top; the linkages carry their names.
    if (g === 'work') return inGroup.map(entry);
    return [
      { type: 'group' as const, key: `group-${g}`, label: t(`navGroup.${g}`), children: inGroup.map(entry) },
    ];
  });

  const menu = (
    <Suspense fallback={<div className="linli-menu" />}>
      <NavMenu
        items={items}
        selectedKey={selectedKey(location.pathname)}
        onNavigate={(key) => {
          setDrawerOpen(false);
          void navigate(key);
        }}
      />
    </Suspense>
  );
  const brand = (
    <div className="linli-brand">
      <span className="linli-brand-mark">{t('app.mark')}</span>
      <span>{t('app.name')}</span>
    </div>
  );

  if (isPhone)
    return (
      <Layout className="linli-shell">
        {drawerArmed && (
          <Suspense fallback={null}>
            <NavDrawer open={drawerOpen} onClose={() => setDrawerOpen(false)}>
              {brand}
              {can('nodes.read') && (
                <div className="linli-drawer-node">
                  <label htmlFor="linli-drawer-node">{t('layout.jurisdiction')}</label>
                  <NodeSwitcher id="linli-drawer-node" />
                </div>
              )}
              <nav aria-label={t('layout.menu')}>{menu}</nav>
            </NavDrawer>
          </Suspense>
        )}
        <Layout>
          <Layout.Header className="linli-header">
            <Button
              type="text"
              data-testid="menu-toggle"
              aria-label={t('layout.openMenu')}
              aria-expanded={drawerOpen}
              onPointerDown={warmMenus}
              onClick={() => {
                setDrawerArmed(true);
                setDrawerOpen(true);
              }}
              className="linli-menu-toggle"
              icon={<MenuIcon />}
            />
            <span className="linli-brand-mark" aria-hidden>
              {t('app.mark')}
            </span>
            <div className="linli-header-right">
              <LiveUpdates />
              <LiveIndicator compact />
              <NotificationBell />
              <UserMenu />
            </div>
          </Layout.Header>
          <Layout.Content className="linli-content">
            <Suspense fallback={<PageSpin />}>
              <Outlet />
            </Suspense>
          </Layout.Content>
        </Layout>
      </Layout>
    );

  return (
    <Layout className="linli-shell">
      <Layout.Sider width={208} className="linli-sider">
        {brand}
        <nav aria-label={t('layout.menu')}>{menu}</nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header className="linli-header">
          {can('nodes.read') && (
            <div className="linli-header-node">
              <label htmlFor="linli-header-node">
                <span className="linli-muted">{t('layout.jurisdiction')}</span>
              </label>
              <NodeSwitcher id="linli-header-node" />
            </div>
          )}
          <div className="linli-header-right">
            <LiveUpdates />
            <LiveIndicator />
            <NotificationBell />
            <LangSwitch />
            <strong data-testid="current-user" className="linli-current-user" title={me.user.username}>
              {me.user.displayName}
            </strong>
            <Button data-testid="logout" onClick={() => void logout()}>
              {t('layout.logout')}
            </Button>
          </div>
        </Layout.Header>
        <Layout.Content className="linli-content">
          <Suspense fallback={<PageSpin />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
