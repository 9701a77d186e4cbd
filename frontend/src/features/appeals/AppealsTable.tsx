import { Anchor, Group, Table, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Appeal } from '../../api/types';
import { appealId } from '../../api/types';
import { usePrincipal } from '../../auth/AuthContext';
import { seesAllDepartments } from '../../auth/principal';
import { SortIcon } from '../../components/icons';
import { type CalendarDate, formatDateTime } from '../../lib/time';
import { useClassifier, useDepartments, useDistricts } from '../../reference/reference';
import { AnswerDeadline } from './Deadline';
import type { SortKey } from './filters';
import { shortChannel } from './model';
import { StateBadge } from './StateBadge';
import classes from './AppealsTable.module.css';

type Column = 'registered' | 'due';
const sortOf: Record<Column, { asc: SortKey; desc: SortKey }> = {
  registered: { asc: 'reg_asc', desc: 'reg_desc' },
  due: { asc: 'due_asc', desc: 'due_desc' },
};

export function AppealsTable({ appeals, today, sort, onSort }: { appeals: Appeal[]; today: CalendarDate; sort: SortKey; onSort: (s: SortKey) => void }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const principal = usePrincipal();
  const classifier = useClassifier().data;
  const districts = useDistricts().data;
  const departments = useDepartments().data;
  const showDept = seesAllDepartments(principal);

  const header = (col: Column) => {
    const dir = sort === sortOf[col].asc ? 'asc' : sort === sortOf[col].desc ? 'desc' : null;
    const label = t(`registry.columns.${col}`);
    // First click on the registration date sorts newest first; on the deadline, the nearest first.
    const nextSort = dir === null ? (col === 'registered' ? sortOf[col].desc : sortOf[col].asc) : dir === 'asc' ? sortOf[col].desc : sortOf[col].asc;
    return (
      <Table.Th aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none'} className={classes.nowrap}>
        <UnstyledButton className={classes.sort} onClick={() => onSort(nextSort)} aria-label={`${t('registry.sortBy', { column: label })}${dir ? `, ${t(dir === 'asc' ? 'registry.sortAsc' : 'registry.sortDesc')}` : ''}`}>
          <Group gap={4} wrap="nowrap">
            <span>{label}</span>
            <SortIcon dir={dir} />
          </Group>
        </UnstyledButton>
      </Table.Th>
    );
  };

  return (
    <Table.ScrollContainer minWidth={960}>
      <Table highlightOnHover verticalSpacing="sm" horizontalSpacing={8} className={classes.table} stickyHeader>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('registry.columns.number')}</Table.Th>
            {header('registered')}
            <Table.Th>{t('registry.columns.text')}</Table.Th>
            <Table.Th>{showDept ? t('registry.columns.districtDepartment') : t('registry.columns.district')}</Table.Th>
            <Table.Th className={classes.nowrap}>{t('registry.columns.state')}</Table.Th>
            {header('due')}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {appeals.map((a) => {
            const id = appealId(a);
            const first = a.classifierCodes?.[0];
            const entry = first ? classifier?.byCode.get(first) : undefined;
            const dept = departments?.find((d) => d.code === a.department);
            const channel = shortChannel(a.channel ?? 'CHANNEL_UNSPECIFIED');
            return (
              <Table.Tr key={id} className={classes.row} onClick={(e) => !(e.target as HTMLElement).closest('a') && navigate(`/appeals/${id}`)}>
                <Table.Td>
                  <Anchor component={Link} to={`/appeals/${id}`} fw={600} className={classes.number}>
                    {a.registrationNumber}
                  </Anchor>
                </Table.Td>
                <Table.Td className={classes.registered}>
                  <Text size="sm">{formatDateTime(a.registerTime, i18n.language)}</Text>
                  <Text size="xs" c="dimmed">
                    {t(`channels.${channel}`, { defaultValue: channel })}
                  </Text>
                </Table.Td>
                <Table.Td className={classes.text}>
                  <Text size="sm" lineClamp={2}>
                    {a.text}
                  </Text>
                  {first && (
                    <Text size="xs" c="dimmed" lineClamp={1} title={entry?.name}>
                      <span className={classes.code}>{first}</span> {entry?.name ?? ''}
                      {(a.classifierCodes?.length ?? 0) > 1 ? ` (+${(a.classifierCodes?.length ?? 1) - 1})` : ''}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{districts?.find((d) => d.code === a.district)?.name ?? (a.district || '—')}</Text>
                  {showDept && a.department && (
                    <Tooltip label={a.departmentDisplayName || dept?.name || a.department} multiline w={300} openDelay={300}>
                      <Text size="xs" c="dimmed" span>
                        {a.department}
                      </Text>
                    </Tooltip>
                  )}
                </Table.Td>
                <Table.Td className={classes.fit}>
                  <StateBadge state={a.state} />
                </Table.Td>
                <Table.Td className={classes.fit}>
                  <AnswerDeadline appeal={a} today={today} compact />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
