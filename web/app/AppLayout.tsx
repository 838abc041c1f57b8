// The signed-in shell: Sider menu (a Drawer on phones), header with the jurisdiction switcher,
// language switch, current user and logout.
import { Suspense, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { Button, Drawer, Layout, Menu, Typography, type MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from './auth.js';
import { toChosen, useJurisdiction } from './jurisdiction.js';
import { LazyNodeTreeSelect } from './components/LazyNodeTreeSelect.js';
import { LangSwitch } from './components/LangSwitch.js';
import { PageSpin } from './components/PageSpin.js';
import { useIsPhone } from './useIsPhone.js';
import { NotificationBell } from '../features/notifications/NotificationBell.js';
import { LiveIndicator, LiveUpdates } from './LiveUpdates.js';
import type { Permission } from '../../common/permissions.js';

interface NavItem {
  key: string;
  label:
    | 'nav.cockpit'
    | 'nav.command'
    | 'nav.tree'
    | 'nav.people'
    | 'nav.households'
    | 'nav.tags'
    | 'nav.users'
    | 'nav.roles'
    | 'nav.audit'
    | 'nav.account'
    | 'nav.tasks'
    | 'nav.events'
    | 'nav.caseMap'
    | 'nav.kpis'
    | 'nav.eventSettings'
    | 'nav.reports'
    | 'nav.notices';
  /** Shown when the user holds any of these. */
  needs?: Permission | Permission[];
}

const NAV: NavItem[] = [
  { key: '/cockpit', label: 'nav.cockpit', needs: 'command.read' },
  { key: '/command', label: 'nav.command', needs: 'command.read' },
  {
    key: '/tasks',
    label: 'nav.tasks',
    needs: ['events.triage', 'events.handle', 'events.verify', 'directives.respond', 'directives.issue'],
  },
  { key: '/events', label: 'nav.events', needs: ['events.read', 'events.handle'] },
  { key: '/events/map', label: 'nav.caseMap', needs: ['events.read', 'events.handle'] },
  { key: '/kpis', label: 'nav.kpis', needs: 'events.read' },
  { key: '/reports', label: 'nav.reports', needs: 'command.read' },
  { key: '/events/settings', label: 'nav.eventSettings', needs: ['events.configure', 'departments.manage'] },
  { key: '/notices', label: 'nav.notices', needs: ['command.read', 'notices.deliver'] },
  { key: '/tree', label: 'nav.tree', needs: 'nodes.read' },
  { key: '/people', label: 'nav.people', needs: 'people.read' },
  { key: '/households', label: 'nav.households', needs: 'people.read' },
  { key: '/tags', label: 'nav.tags', needs: 'tags.manage' },
  { key: '/users', label: 'nav.users', needs: 'users.read' },
  { key: '/roles', label: 'nav.roles', needs: 'roles.read' },
  { key: '/audit', label: 'nav.audit', needs: 'audit.read' },
  { key: '/account', label: 'nav.account' },
];

function NodeSwitcher() {
  const { node, setNode } = useJurisdiction();
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  return (
    <LazyNodeTreeSelect
      data-testid="node-switcher"
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

export default function AppLayout() {
  const { t } = useTranslation();
  const { me, can, logout } = useAuth();
  const isPhone = useIsPhone();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const location = useLocation();
  const navigate = useNavigate();

  const items: MenuProps['items'] = NAV.filter(
    (n) => !n.needs || (Array.isArray(n.needs) ? n.needs.some(can) : can(n.needs)),
  ).map((n) => ({
    key: n.key,
    label: <span data-testid={`nav-${n.key.slice(1)}`}>{t(n.label)}</span>,
  }));
  // The longest menu entry the address starts with: /events/settings is not /events.
  const selected =
    NAV.map((n) => n.key)
      .filter((k) => location.pathname === k || location.pathname.startsWith(`${k}/`))
      .sort((a, b) => b.length - a.length)[0] ?? `/${location.pathname.split('/')[1] ?? ''}`;

  const menu = (
    <Menu
      theme="dark"
      mode="inline"
      selectedKeys={[selected]}
      items={items}
      onClick={({ key }) => {
        setDrawerOpen(false);
        void navigate(key);
      }}
    />
  );
  const brand = (
    <div className="linli-brand">
      <span className="linli-brand-mark">{t('app.mark')}</span>
      <span>{t('app.name')}</span>
    </div>
  );

  return (
    <Layout className="linli-shell">
      {isPhone ? (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={240}
          closable={false}
          styles={{ body: { padding: 0, background: '#001529' } }}
        >
          {brand}
          {menu}
        </Drawer>
      ) : (
        <Layout.Sider width={208} className="linli-sider">
          {brand}
          {menu}
        </Layout.Sider>
      )}
      <Layout>
        <Layout.Header className="linli-header">
          {isPhone && (
            <Button
              data-testid="menu-toggle"
              aria-label={t('layout.openMenu')}
              onClick={() => setDrawerOpen(true)}
              className="linli-menu-toggle"
            >
              ☰
            </Button>
          )}
          {isPhone && <span className="linli-brand-mark">{t('app.mark')}</span>}
          {can('nodes.read') && (
            <div className="linli-header-node">
              {!isPhone && <Typography.Text type="secondary">{t('layout.jurisdiction')}</Typography.Text>}
              <NodeSwitcher />
            </div>
          )}
          <div className="linli-header-right">
            <LiveUpdates />
            <LiveIndicator />
            <NotificationBell />
            <LangSwitch />
            <Typography.Text
              strong
              data-testid="current-user"
              className="linli-current-user"
              title={me.user.username}
            >
              {me.user.displayName}
            </Typography.Text>
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
