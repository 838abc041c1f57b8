// Every page the user may open, grouped as the desktop menu is: on a phone the drawer holds only the
// short menu (web/app/nav.ts), and this list, on the account page, reaches the rest.
import { Link } from 'react-router';
import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth.js';
import { NAV_GROUPS, navFor } from '../nav.js';
import './responsive.css';

export function AllPages() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const items = navFor(can).filter((n) => !n.hidden);
  return (
    <Card title={t('layout.allPages')} size="small" data-testid="all-pages">
      {NAV_GROUPS.map((g) => {
        const inGroup = items.filter((n) => n.group === g);
        if (inGroup.length === 0) return null;
        return (
          <section key={g} className="linli-all-pages-group" aria-labelledby={`all-pages-${g}`}>
            <h2 id={`all-pages-${g}`}>{t(`navGroup.${g}`)}</h2>
            <ul>
              {inGroup.map((n) => (
                <li key={n.key}>
                  <Link to={n.key} className="linli-link-button" data-testid={`all-pages-${n.key.slice(1)}`}>
                    {t(n.label)}
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </Card>
  );
}
