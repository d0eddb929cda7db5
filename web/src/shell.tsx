/** The authenticated layout: a left nav on wide screens, a top bar with a menu on phones. */
import { type ReactNode, useEffect, useState } from 'react'
import { PAGES, type PageDef } from './pages.ts'
import { Link, matchPath, useLocation } from './router.tsx'
import { useSession, useSessionApi } from './session.tsx'
import { Icon } from './ui/icons.tsx'

export function visiblePages(can: (p: PageDef['requires'][number]) => boolean): PageDef[] {
  return PAGES.filter((p) => p.requires.some(can))
}

/** The nav entry of the open page: the page itself, or for a detail page its `navParent` (a lead → Leads). */
export function currentNavPath(path: string): string | null {
  const page = PAGES.find((p) => matchPath(p.path, path))
  if (!page) return null
  return page.nav ? page.path : (page.navParent ?? null)
}

export function Shell({ children }: { children: ReactNode }) {
  const session = useSession()
  const { logOut } = useSessionApi()
  const { path } = useLocation()
  const [menuOpen, setMenuOpen] = useState(false)
  // biome-ignore lint/correctness/useExhaustiveDependencies: navigating (a new path) closes the phone menu
  useEffect(() => setMenuOpen(false), [path])
  const pages = visiblePages(session.can).filter((p) => p.nav)
  const current = currentNavPath(path)
  const sections = [...new Set(pages.map((p) => p.nav!.section))]
  const p = session.principal
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className={`sidebar ${menuOpen ? 'sidebar-open' : ''}`}>
        <div className="brand-row">
          <Link to="/" className="brand">
            <span className="brand-mark" aria-hidden="true">
              A
            </span>
            <span>Accord</span>
          </Link>
          <button
            type="button"
            className="menu-button"
            aria-expanded={menuOpen}
            aria-controls="main-nav"
            onClick={() => setMenuOpen((o) => !o)}
          >
            <Icon name="menu" />
            <span className="sr-only">Menu</span>
          </button>
        </div>
        <nav id="main-nav" aria-label="Main" className="nav">
          {sections.map((section) => (
            <div key={section} className="nav-section">
              <div className="nav-section-title">{section}</div>
              {pages
                .filter((pg) => pg.nav!.section === section)
                .map((pg) => (
                  <Link
                    key={pg.path}
                    to={pg.path}
                    className={`nav-link ${current === pg.path ? 'nav-link-current' : ''}`}
                    aria-current={current === pg.path ? 'page' : undefined}
                  >
                    <Icon name={pg.nav!.icon} />
                    <span>{pg.nav!.label}</span>
                  </Link>
                ))}
            </div>
          ))}
          <div className="nav-footer">
            <div className="whoami">
              <div className="avatar" aria-hidden="true">
                {p.name.trim().charAt(0).toUpperCase() || '?'}
              </div>
              <div className="whoami-text">
                <div className="whoami-name" title={p.name}>
                  {p.name}
                </div>
                <div className="whoami-role">
                  {p.role}
                  {p.repId ? ` · ${p.repId}` : ''}
                  {p.kind === 'api_key' ? ' · API key' : ''}
                </div>
              </div>
            </div>
            <button type="button" className="btn btn-ghost btn-block" onClick={() => void logOut()}>
              <Icon name="logout" />
              Log out
            </button>
          </div>
        </nav>
      </aside>
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  )
}
