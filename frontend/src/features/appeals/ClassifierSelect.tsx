import { type ComboboxItem, type ComboboxParsedItem, Group, Select, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { type Classifier, searchClassifier } from '../../reference/classifier';
import { useClassifier } from '../../reference/reference';

const LIMIT = 60;

/**
 * One entry of the classifier (any level), searchable by code or by words of its name over
 * all 2,108 entries. Without a search it offers the sections and topics.
 */
export function ClassifierSelect({
  value,
  onChange,
  label,
  id,
  required,
  error,
}: {
  value: string;
  onChange: (code: string) => void;
  label: string;
  id?: string;
  required?: boolean;
  error?: string;
}) {
  const { t } = useTranslation();
  const classifier = useClassifier();
  const c = classifier.data;
  const data = useMemo<ComboboxItem[]>(() => (c ? c.entries.map((e) => ({ value: e.code, label: `${e.short} ${e.name}` })) : []), [c]);

  return (
    <Select
      id={id}
      label={label}
      required={required}
      placeholder={classifier.isPending ? t('classifier.loading') : t('classifier.placeholder')}
      disabled={classifier.isPending && !value}
      searchable
      clearable
      data={data}
      value={c ? value || null : null}
      onChange={(v) => onChange(v ?? '')}
      filter={({ search }) => (c ? filterEntries(c, search) : [])}
      nothingFoundMessage={t('classifier.nothing')}
      maxDropdownHeight={360}
      comboboxProps={{ width: 'target', position: 'bottom-start', middlewares: { flip: true, shift: true } }}
      renderOption={({ option }) => {
        const e = c?.byCode.get(option.value);
        return e ? <EntryOption level={e.level} short={e.short} name={e.name} /> : option.label;
      }}
      error={classifier.isError ? t('errors.reference') : error}
    />
  );
}

function filterEntries(c: Classifier, search: string): ComboboxParsedItem[] {
  return searchClassifier(c, search, LIMIT).map((e) => ({ value: e.code, label: `${e.short} ${e.name}` }));
}

export function EntryOption({ level, short, name }: { level: number; short: string; name: string }) {
  return (
    <Group gap={8} wrap="nowrap" align="flex-start" pl={(level - 1) * 10}>
      <Text size="xs" ff="monospace" c="dimmed" style={{ whiteSpace: 'nowrap', paddingTop: 2 }}>
        {short}
      </Text>
      <Text size="sm" fw={level <= 2 ? 600 : 400} lh={1.3}>
        {name}
      </Text>
    </Group>
  );
}
