import '@mantine/core/styles.css';
import './app/global.css';
import { MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initApi } from './api/client';
import { App } from './app/App';
import { StandalonePage } from './app/pages';
import { theme } from './app/theme';
import { SIGNED_OUT_PATH, Session, currentPath } from './auth/session';
import { loadConfig } from './config';
import { PUBLIC_SCHEDULE_PATH } from './app/publicPaths';
import i18n, { initI18n } from './i18n/i18n';

async function boot() {
  initI18n();
  const root = createRoot(document.getElementById('root')!);
  const standalone = (title: string, text: string, action: string, onAction: () => void) =>
    root.render(
      <StrictMode>
        <MantineProvider theme={theme}>
          <StandalonePage title={title} text={text} action={action} onAction={onAction} />
        </MantineProvider>
      </StrictMode>,
    );

  const config = await loadConfig();
  const session = new Session(config);
  initApi(config.apiBaseUrl, session.fetch);
  const t = i18n.t.bind(i18n);

  if (window.location.pathname === PUBLIC_SCHEDULE_PATH) {
    // Residents' schedule: no sign-in, no token; its own chunk.
    initApi(config.apiBaseUrl, (req) => fetch(req));
    const { PublicApp } = await import('./app/PublicApp');
    root.render(
      <StrictMode>
        <PublicApp />
      </StrictMode>,
    );
    return;
  }
  if (window.location.pathname === SIGNED_OUT_PATH) {
    standalone(t('auth.signedOutTitle'), t('auth.signedOutText'), t('auth.signIn'), () => void session.signIn('/'));
    return;
  }
  let start: { returnTo: string | null };
  try {
    start = await session.start();
  } catch (e) {
    console.error('sign-in failed', e);
    standalone(t('auth.callbackError'), t('auth.callbackErrorText'), t('auth.signInAgain'), () => void session.signIn('/'));
    return;
  }
  if (start.returnTo !== null) window.history.replaceState(null, '', start.returnTo);
  if (!session.signedIn) {
    document.getElementById('boot-message')!.textContent = t('auth.redirecting');
    try {
      await session.signIn(currentPath());
    } catch (e) {
      console.error('the sign-in page cannot be opened', e);
      standalone(t('auth.issuerUnavailable'), t('auth.issuerUnavailableText'), t('common.retry'), () => window.location.reload());
    }
    return;
  }
  root.render(
    <StrictMode>
      <App session={session} />
    </StrictMode>,
  );
}

void boot();
