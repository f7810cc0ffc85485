import type { AccessContext } from '../access-context.js';
import type { Permission } from '../permissions.js';
import type { Locale } from '../i18n/i18n.js';

interface NavItem {
  key: string;
  href: string;
  permission?: Permission;
  needsPerson?: boolean;
}

const NAV: NavItem[] = [
  { key: 'nav.home', href: '/' },
  { key: 'nav.catalog', href: '/catalog' },
  { key: 'nav.myLearning', href: '/my-learning', needsPerson: true },
  { key: 'nav.myProfile', href: '/me', needsPerson: true },
  { key: 'nav.myCredits', href: '/me/transcript', needsPerson: true },
  { key: 'nav.myCertificates', href: '/me/certificates', needsPerson: true },
  { key: 'nav.myMentoring', href: '/me/mentoring', needsPerson: true },
  { key: 'nav.myTitle', href: '/me/title', needsPerson: true },
  { key: 'nav.claims', href: '/claims' },
  { key: 'nav.creditReports', href: '/credits/report', permission: 'credits.read' },
  { key: 'nav.schemes', href: '/credits/schemes', permission: 'credits.manage' },
  { key: 'nav.approvals', href: '/approvals', permission: 'enrollment.approve' },
  { key: 'nav.teaching', href: '/teaching', permission: 'offering.teach' },
  { key: 'nav.rubrics', href: '/rubrics', permission: 'offering.teach' },
  { key: 'nav.mentoring', href: '/mentoring/pairings', permission: 'mentoring.manage' },
  { key: 'nav.rotations', href: '/rotations', permission: 'rotation.manage' },
  { key: 'nav.titleApplications', href: '/titles/applications', permission: 'titles.review' },
  { key: 'nav.titleRules', href: '/titles/rules', permission: 'titles.decide' },
  { key: 'nav.ethicsOverview', href: '/titles/ethics-overview', permission: 'people.read' },
  { key: 'nav.backgroundChecks', href: '/background-checks', permission: 'checks.manage' },
  { key: 'nav.targets', href: '/targets', permission: 'targets.read' },
  // The blue book is the district's: shown to whoever manages the district's targets.
  { key: 'nav.blueBook', href: '/reports/blue-book', permission: 'targets.manage' },
  { key: 'nav.programs', href: '/programs' },
  { key: 'nav.myTeams', href: '/teams', needsPerson: true },
  { key: 'nav.programReviews', href: '/program-reviews', permission: 'programs.review' },
  { key: 'nav.principals', href: '/principals', permission: 'principals.read' },
  { key: 'nav.lectures', href: '/lectures', permission: 'lectures.file' },
  { key: 'nav.imports', href: '/imports', permission: 'imports.run' },
  { key: 'nav.exports', href: '/exports', permission: 'org.read' },
  { key: 'nav.courses', href: '/courses', permission: 'catalog.manage' },
  { key: 'nav.org', href: '/org', permission: 'org.read' },
  { key: 'nav.groups', href: '/groups', permission: 'org.read' },
  { key: 'nav.people', href: '/people', permission: 'people.read' },
  { key: 'nav.audit', href: '/audit', permission: 'audit.read' },
  { key: 'nav.outbox', href: '/outbox', permission: 'mail.outbox.read' },
];

export interface ShellContext {
  locale: Locale;
  otherLocale: Locale;
  currentPath: string;
  csrfToken: string;
  user: { name: string; username: string; roles: string[] } | null;
  nav: { key: string; href: string; active: boolean }[];
  flash: unknown[];
}

/** What the layout needs on every page: language, the signed-in user, navigation by role, the form token. */
export function shellContext(locals: Record<string, unknown>, path: string): ShellContext {
  const access = (locals.access as AccessContext | null | undefined) ?? null;
  const locale = (locals.locale as Locale | undefined) ?? 'zh-CN';
  const nav = access
    ? NAV.filter((item) => (!item.permission || access.can(item.permission)) && (!item.needsPerson || access.personId))
        .map((item) => ({ key: item.key, href: item.href, active: item.href === activeHref(path) }))
    : [];
  return {
    locale,
    otherLocale: locale === 'zh-CN' ? 'en' : 'zh-CN',
    currentPath: path,
    csrfToken: (locals.csrfToken as string | undefined) ?? '',
    user: access ? { name: access.displayName, username: access.username, roles: access.roles } : null,
    nav,
    flash: (locals.flash as unknown[] | undefined) ?? [],
  };
}

/** The nav entry a path belongs to: the longest entry that is the path or a folder above it. */
function activeHref(path: string): string | undefined {
  return NAV.map((item) => item.href)
    .filter((href) => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`)))
    .sort((a, b) => b.length - a.length)[0];
}
