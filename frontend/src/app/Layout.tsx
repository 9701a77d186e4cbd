import { AppShell, Box, Burger, Button, Group, Loader, Modal, NavLink, SegmentedControl, Stack, Text, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigation } from 'react-router';
import { usePrincipal, useSession, useSessionExpired } from '../auth/AuthContext';
import { canRegister, mainRole, readsAnalytics, readsAppeals, readsAuditLog, readsOutreach } from '../auth/principal';
import { type Lang, setLang } from '../i18n/i18n';
import { useDepartments, shortDepartmentName } from '../reference/reference';
import { Emblem } from '../components/icons';
import classes from './Layout.module.css';

export function Layout() {
  const { t, i18n } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  const navigation = useNavigation();
  const principal = usePrincipal();
  const expired = useSessionExpired();

  useEffect(close, [location.pathname, close]);

  const path = location.pathname;
  // Only what the signed-in role may use (the service refuses the rest anyway).
  const reads = readsAppeals(principal);
  const nav = (
    <>
      {reads && <NavLink component={Link} to="/" label={t('nav.dashboard')} active={path === '/'} />}
      {(reads || canRegister(principal)) && (
        <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="md" pb={4}>
          {t('nav.appeals')}
        </Text>
      )}
      {reads && <NavLink component={Link} to="/appeals" label={t('nav.registry')} active={path === '/appeals' || (/^\/appeals\/[^/]+$/.test(path) && path !== '/appeals/new')} />}
      {canRegister(principal) && <NavLink component={Link} to="/appeals/new" label={t('nav.register')} active={path === '/appeals/new'} />}
      {readsAnalytics(principal) && <NavLink component={Link} to="/analytics" label={t('nav.analytics')} active={path === '/analytics'} />}
      {readsOutreach(principal) && (
        <>
          <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="md" pb={4}>
            {t('outreach.nav.section')}
          </Text>
          <NavLink
            component={Link}
            to="/meetings"
            label={t('outreach.nav.calendar')}
            active={path === '/meetings' || (/^\/meetings\/[^/]+$/.test(path) && path !== '/meetings/plans' && path !== '/meetings/statistics')}
          />
          <NavLink component={Link} to="/meetings/plans" label={t('outreach.nav.plans')} active={path.startsWith('/meetings/plans')} />
          <NavLink component={Link} to="/meetings/statistics" label={t('outreach.nav.statistics')} active={path === '/meetings/statistics'} />
        </>
      )}
      {readsAuditLog(principal) && (
        <>
          <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="md" pb={4}>
            {t('nav.control')}
          </Text>
          <NavLink component={Link} to="/audit" label={t('nav.audit')} active={path === '/audit'} />
        </>
      )}
    </>
  );

  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <a href="#main" className={classes.skip}>
        {t('app.skip')}
      </a>
      <AppShell.Header className={classes.header}>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="sm">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.menu')} color="white" />
            <Link to="/" className={classes.brand}>
              <Emblem />
              <Box>
                <Text fw={700} size="md" lh={1.1} c="white">
                  {t('app.name')}
                </Text>
                <Text size="xs" lh={1.1} c="blue.1" visibleFrom="xs">
                  {t('app.org')}
                </Text>
              </Box>
            </Link>
            {navigation.state === 'loading' && <Loader size="xs" color="white" aria-label={t('app.loading')} />}
          </Group>
          <Group gap="md" wrap="nowrap">
            <SegmentedControl
              size="xs"
              aria-label={t('user.language')}
              value={i18n.language === 'en' ? 'en' : 'ru'}
              onChange={(v) => setLang(v as Lang)}
              data={[
                { value: 'ru', label: 'RU' },
                { value: 'en', label: 'EN' },
              ]}
              className={classes.lang}
            />
            <UserBlock />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('nav.main')}>
        {nav}
      </AppShell.Navbar>
      <AppShell.Main id="main" className={classes.main}>
        <Suspense fallback={<Loader m="xl" aria-label={t('app.loading')} />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
      <Modal opened={expired} onClose={() => undefined} withCloseButton={false} title={t('auth.expiredTitle')} centered>
        <Stack>
          <Text size="sm">{t('auth.expiredText')}</Text>
          <Group>
            <Loader size="sm" />
            <Text size="sm" c="dimmed">
              {t('auth.redirecting')}
            </Text>
          </Group>
        </Stack>
      </Modal>
    </AppShell>
  );
}

function UserBlock() {
  const { t } = useTranslation();
  const session = useSession();
  const p = usePrincipal();
  const departments = useDepartments();
  const dept = departments.data?.find((d) => d.code === p.department);
  const role = mainRole(p);
  return (
    <Group gap="sm" wrap="nowrap">
      <Box ta="right" className={classes.user} data-testid="user-block">
        <Text size="sm" fw={600} c="white" lh={1.2} truncate>
          {p.name || p.login}
        </Text>
        <Tooltip label={dept ? dept.name : ''} disabled={!dept} multiline w={280}>
          <Text size="xs" c="blue.1" lh={1.2} truncate>
            {[role ? t(`user.roles.${role}`, { defaultValue: role }) : '', p.department ? (dept ? shortDepartmentName(dept.name).replace(/^Комитет по управлению /, 'КУ ') : p.department) : '']
              .filter(Boolean)
              .join(' · ')}
          </Text>
        </Tooltip>
      </Box>
      <Button variant="white" size="xs" onClick={() => void session.signOut()}>
        {t('user.signOut')}
      </Button>
    </Group>
  );
}
