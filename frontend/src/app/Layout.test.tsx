import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeApi, fakeSession, json, renderApp } from '../test/utils';

describe('layout', () => {
  it("shows the user's name, role and department, and signs out", async () => {
    fakeApi((_, url) => (url.pathname === '/v1/appeals' ? json({ appeals: [] }) : undefined));
    const session = fakeSession();
    const user = userEvent.setup();
    renderApp('/appeals', { session });
    const block = await screen.findByTestId('user-block');
    expect(within(block).getByText('Иванова Мария Петровна')).toBeInTheDocument();
    expect(block).toHaveTextContent('Специалист · КУ Железнодорожным районом');
    const nav = screen.getByRole('navigation', { name: 'Разделы' });
    expect(within(nav).getByRole('link', { name: 'Реестр' })).toHaveAttribute('data-active', 'true');
    expect(within(nav).getByRole('link', { name: 'Регистрация' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Перейти к основному содержанию' })).toHaveAttribute('href', '#main');
    await user.click(screen.getByRole('button', { name: 'Выйти' }));
    expect(session.signOut).toHaveBeenCalledOnce();
  });

  it('switches the language to English and back', async () => {
    fakeApi((_, url) => (url.pathname === '/v1/appeals' ? json({ appeals: [] }) : undefined));
    const user = userEvent.setup();
    renderApp('/appeals');
    await screen.findByRole('heading', { name: 'Реестр обращений' });
    await user.click(screen.getByText('EN'));
    expect(await screen.findByRole('heading', { name: 'Appeals registry' })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('en');
    await user.click(screen.getByText('RU'));
    expect(await screen.findByRole('heading', { name: 'Реестр обращений' })).toBeInTheDocument();
  });

  it('shows in the navigation only what the role may use', async () => {
    const nav = async (roles: string[], department = '') => {
      fakeApi(() => json({}));
      const { unmount } = renderApp('/nowhere', { session: fakeSession({ login: 'u', name: 'U', roles, department }) });
      const links = within(await screen.findByRole('navigation', { name: 'Разделы' }))
        .queryAllByRole('link')
        .map((l) => l.textContent);
      unmount();
      return links;
    };
    const meetings = ['Календарь встреч', 'Планы на месяц', 'Статистика встреч'];
    expect(await nav(['clerk'], 'KUR-ZHD')).toEqual(['Сводка', 'Реестр', 'Регистрация', 'Аналитика', ...meetings]);
    expect(await nav(['curator'])).toEqual(['Сводка', 'Реестр', 'Аналитика', ...meetings]);
    expect(await nav(['vice_mayor'])).toEqual(['Сводка', 'Реестр', 'Аналитика', ...meetings]);
    expect(await nav(['auditor'])).toEqual(['Сводка', 'Реестр', 'Аналитика', ...meetings, 'Журнал доступа']);
    // A machine account registers appeals; it has no use for the meetings.
    expect(await nav(['integrator'])).toEqual(['Сводка', 'Реестр', 'Регистрация', 'Аналитика']);
    expect(await nav([])).toEqual([]);
  });
});
