// The shell's menus, in a chunk of their own: the side menu, the phone's navigation drawer and the
// phone's user menu (antd's Menu, Drawer and Dropdown, with the trigger and overflow machinery under
// them). A phone fetches this chunk at the first press of the menu or user button, so that a grid
// worker's first page does not carry it; a desktop, whose side menu shows at once, fetches it with the
// shell (`preloadFor` in router.tsx). See bench/README.md, web.
import type { ReactElement, ReactNode } from 'react';
import { Drawer, Dropdown, Menu, type MenuProps } from 'antd';

type Items = NonNullable<MenuProps['items']>;

export function NavMenu({
  items,
  selectedKey,
  onNavigate,
}: {
  items: Items;
  selectedKey: string;
  onNavigate: (key: string) => void;
}) {
  return (
    <Menu
      theme="dark"
      mode="inline"
      className="linli-menu"
      selectedKeys={[selectedKey]}
      items={items}
      onClick={({ key }) => onNavigate(key)}
    />
  );
}

export function NavDrawer({
  open,
  onClose,
  children,
}: {
  open: boolean;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <Drawer
      placement="left"
      open={open}
      onClose={onClose}
      size={280}
      closable={false}
      title={null}
      rootClassName="linli-drawer"
      styles={{ body: { padding: 0, background: '#001529' } }}
    >
      {children}
    </Drawer>
  );
}

export function UserDropdown({
  open,
  onOpenChange,
  items,
  onChoose,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  items: Items;
  onChoose: (key: string) => void;
  children: ReactElement;
}) {
  return (
    <Dropdown
      trigger={['click']}
      placement="bottomRight"
      open={open}
      onOpenChange={onOpenChange}
      menu={{ items, onClick: ({ key }) => onChoose(key) }}
    >
      {children}
    </Dropdown>
  );
}
