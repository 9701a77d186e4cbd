import { Button, Center, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageTitle } from '../components/PageTitle';
import { Emblem } from '../components/icons';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Stack maw={640}>
      <PageTitle>{t('app.notFound')}</PageTitle>
      <Text>{t('app.notFoundText')}</Text>
      <div>
        <Button component={Link} to="/" variant="light">
          {t('app.toHome')}
        </Button>
      </div>
    </Stack>
  );
}

/** A page outside the signed-in layout: after sign-out, or when sign-in failed. */
export function StandalonePage({ title, text, action, onAction }: { title: string; text: string; action: string; onAction: () => void }) {
  const { t } = useTranslation();
  return (
    <Center mih="100dvh" bg="gray.0" p="md">
      <Paper withBorder radius="md" p="xl" maw={440} w="100%">
        <Stack>
          <Center bg="blue.9" w={48} h={48} style={{ borderRadius: 8 }}>
            <Emblem />
          </Center>
          <Text size="sm" c="dimmed">
            {t('app.org')}
          </Text>
          <Title order={1} size="h3">
            {title}
          </Title>
          <Text size="sm">{text}</Text>
          <Button onClick={onAction} autoFocus>
            {action}
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
