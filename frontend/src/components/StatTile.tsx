import { Anchor, Paper, Text } from '@mantine/core';
import { Link } from 'react-router';

/**
 * One figure of an overview or statistics page: what it counts, the value, an optional note, and
 * an optional link to the records behind it. A colour marks figures that need attention.
 */
export function StatTile({
  label,
  value,
  note,
  color,
  link,
  compact,
  testId,
}: {
  label: string;
  value: string;
  note?: string;
  color?: string;
  link?: { to: string; label: string };
  compact?: boolean;
  testId?: string;
}) {
  return (
    <Paper withBorder radius="md" p={{ base: 'sm', sm: 'md' }} data-testid={testId} style={color ? { borderLeft: `4px solid var(--mantine-color-${color}-6)` } : undefined}>
      <Text size="sm" c="dimmed" lh={1.3} mih={36}>
        {label}
      </Text>
      <Text fz={compact ? { base: 22, sm: 26 } : { base: 24, sm: 30 }} fw={700} c={color ? `${color}.8` : undefined} style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }} data-value>
        {value}
      </Text>
      {note && (
        <Text size="xs" c="dimmed" lh={1.3}>
          {note}
        </Text>
      )}
      {link && (
        <Anchor component={Link} to={link.to} size="xs">
          {link.label}
        </Anchor>
      )}
    </Paper>
  );
}
