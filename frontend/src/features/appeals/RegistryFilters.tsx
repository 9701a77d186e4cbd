import { Button, Checkbox, Collapse, Grid, Group, Input, Paper, Select, Text, TextInput } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePrincipal } from '../../auth/AuthContext';
import { departmental, seesAllDepartments } from '../../auth/principal';
import { cityToday } from '../../lib/time';
import { useDepartments, useDistricts, shortDepartmentName } from '../../reference/reference';
import { ClassifierSelect } from './ClassifierSelect';
import { type RegistryFilters as Filters, DEADLINE_FILTERS, activeFilterCount, normaliseNumber } from './filters';
import { CHANNELS, STATES, shortChannel, shortState } from './model';

export function RegistryFilters({ value, onChange, onReset }: { value: Filters; onChange: (patch: Partial<Filters>) => void; onReset: () => void }) {
  const { t } = useTranslation();
  const principal = usePrincipal();
  const districts = useDistricts();
  const departments = useDepartments();
  const phone = useMediaQuery('(max-width: 48em)');
  const [open, { toggle }] = useDisclosure(false);
  const active = activeFilterCount(value);
  const all = t('common.all');
  const allDepts = seesAllDepartments(principal);
  const deadlineLabel: Record<string, string> = { ontime: t('registry.deadlineOnTime'), soon: t('registry.deadlineSoon'), overdue: t('registry.deadlineOverdue'), closed: t('registry.deadlineClosed') };

  // The number is sent when the clerk is done typing it (Enter or leaving the field).
  const [number, setNumber] = useState(value.number);
  useEffect(() => setNumber(value.number), [value.number]);
  const commitNumber = () => {
    const n = number.trim() ? normaliseNumber(number, cityToday().year) : '';
    setNumber(n);
    if (n !== value.number) onChange({ number: n });
  };

  const fields = (
    <Grid gap="sm" align="flex-end">
      <Grid.Col span={{ base: 12, sm: 6, lg: 3 }}>
        <TextInput
          label={t('registry.number')}
          placeholder={t('registry.numberPlaceholder')}
          value={number}
          onChange={(e) => setNumber(e.currentTarget.value)}
          onBlur={commitNumber}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              commitNumber();
            }
          }}
          autoComplete="off"
          data-testid="filter-number"
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 6, lg: 3 }}>
        <Select
          label={t('registry.state')}
          placeholder={all}
          clearable
          value={value.state || null}
          onChange={(v) => onChange({ state: v ?? '' })}
          data={STATES.map((s) => ({ value: shortState(s), label: t(`states.${shortState(s)}`) }))}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 6, lg: 3 }}>
        <Select
          label={t('registry.channel')}
          placeholder={all}
          clearable
          value={value.channel || null}
          onChange={(v) => onChange({ channel: v ?? '' })}
          data={CHANNELS.map((c) => ({ value: shortChannel(c), label: t(`channels.${shortChannel(c)}`) }))}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 6, lg: 3 }}>
        <Select
          label={t('registry.deadline')}
          value={value.deadline}
          allowDeselect={false}
          onChange={(v) => onChange({ deadline: (v ?? '') as Filters['deadline'] })}
          data={[{ value: '', label: t('registry.deadlineAny') }, ...DEADLINE_FILTERS.map((d) => ({ value: d, label: deadlineLabel[d] }))]}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <ClassifierSelect label={t('registry.classifier')} value={value.code} onChange={(code) => onChange({ code })} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 6, lg: 2 }}>
        <Select
          label={t('registry.district')}
          placeholder={all}
          clearable
          value={value.district || null}
          onChange={(v) => onChange({ district: v ?? '' })}
          data={(districts.data ?? []).map((d) => ({ value: d.code, label: d.name }))}
        />
      </Grid.Col>
      {allDepts && (
        <Grid.Col span={{ base: 12, sm: 6, lg: 4 }}>
          <Select
            label={t('registry.department')}
            placeholder={all}
            clearable
            searchable
            value={value.dept || null}
            onChange={(v) => onChange({ dept: v ?? '' })}
            data={(departments.data ?? []).map((d) => ({ value: d.code, label: shortDepartmentName(d.name) }))}
            comboboxProps={{ width: 420, position: 'bottom-start' }}
          />
        </Grid.Col>
      )}
      <Grid.Col span={{ base: 12, sm: allDepts ? 12 : 6, lg: 4 }}>
        <Input.Wrapper label={t('registry.period')} id="registry-period" labelElement="div">
          <Group gap={6} wrap="nowrap" align="center">
            <TextInput
              type="date"
              aria-label={t('registry.from')}
              value={value.from}
              max={value.to || undefined}
              onChange={(e) => onChange({ from: e.currentTarget.value })}
              style={{ flex: 1, minWidth: 0 }}
            />
            <Text c="dimmed" aria-hidden="true">
              –
            </Text>
            <TextInput
              type="date"
              aria-label={t('registry.to')}
              value={value.to}
              min={value.from || undefined}
              onChange={(e) => onChange({ to: e.currentTarget.value })}
              style={{ flex: 1, minWidth: 0 }}
            />
          </Group>
        </Input.Wrapper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: allDepts ? 8 : 12 }}>
        <Group gap="lg" mih={36} align="center">
          <Checkbox label={t('registry.repeated')} checked={value.repeated === '1'} onChange={(e) => onChange({ repeated: e.currentTarget.checked ? '1' : '' })} />
          {departmental(principal) && (
            <Checkbox label={t('registry.mine')} checked={value.mine === '1'} onChange={(e) => onChange({ mine: e.currentTarget.checked ? '1' : '' })} data-testid="filter-mine" />
          )}
        </Group>
      </Grid.Col>
    </Grid>
  );

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="filters-title">
      <Group justify="space-between" mb={phone && !open ? 0 : 'sm'} wrap="nowrap">
        <Group gap="xs">
          <Text id="filters-title" fw={600}>
            {t('registry.filters')}
          </Text>
          {active > 0 && (
            <Text size="sm" c="dimmed">
              {t('registry.activeFilters', { count: active })}
            </Text>
          )}
        </Group>
        <Group gap="xs">
          {active > 0 && (
            <Button variant="subtle" size="compact-sm" onClick={onReset}>
              {t('registry.reset')}
            </Button>
          )}
          {phone && (
            <Button variant="light" size="compact-sm" onClick={toggle} aria-expanded={open} aria-controls="registry-filters">
              {open ? t('registry.hideFilters') : t('registry.showFilters')}
            </Button>
          )}
        </Group>
      </Group>
      {phone ? (
        <Collapse expanded={open} id="registry-filters">
          {fields}
        </Collapse>
      ) : (
        <div id="registry-filters">{fields}</div>
      )}
    </Paper>
  );
}
