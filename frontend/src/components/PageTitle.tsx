import { Title, type TitleProps } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

let initialPage = true;

/**
 * The page's heading (h1) and the document title. After a navigation inside the app the
 * focus moves to it, so keyboard and screen-reader users start at the new page's top.
 */
export function PageTitle({ children, documentTitle, ...props }: TitleProps & { children: React.ReactNode; documentTitle?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const { t } = useTranslation();
  const title = documentTitle ?? (typeof children === 'string' ? children : '');
  useEffect(() => {
    document.title = `${title} — ${t('app.name')}`;
  }, [title, t]);
  useEffect(() => {
    if (initialPage) {
      initialPage = false;
      return;
    }
    ref.current?.focus({ preventScroll: false });
  }, []);
  return (
    <Title order={1} size="h2" ref={ref} tabIndex={-1} id="page-title" style={{ outline: 'none' }} {...props}>
      {children}
    </Title>
  );
}
