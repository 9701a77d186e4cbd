import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { shortState, stateColor } from './model';

export function StateBadge({ state }: { state: string | undefined }) {
  const { t } = useTranslation();
  const s = shortState(state ?? 'APPEAL_STATE_UNSPECIFIED');
  return (
    <Badge variant="light" color={stateColor(state)} radius="sm" miw="max-content" style={{ textTransform: 'none' }}>
      {t(`states.${s}`, { defaultValue: s })}
    </Badge>
  );
}
