import { ActionIcon, Combobox, Group, Input, Stack, Text, TextInput, useCombobox } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CloseIcon } from '../../components/icons';
import { classifierPath, searchClassifier } from '../../reference/classifier';
import { useClassifier } from '../../reference/reference';
import { EntryOption } from './ClassifierSelect';
import classes from './RegisterPage.module.css';

export const CODE_RE = /^\d{4}\.\d{4}\.\d{4}\.\d{4}(\.\d{4})?$/;
const TYPED = '\u0000typed:';

/**
 * The appeal's classifier codes: a searchable combobox over the whole classifier (by code or
 * by words of the name) that also takes a code typed in by hand, and the list of chosen codes
 * with their names and any message about each of them.
 */
export function ClassifierCodesField({
  id,
  codes,
  onChange,
  error,
  codeErrors,
  max,
  required,
}: {
  id: string;
  codes: string[];
  onChange: (codes: string[]) => void;
  error?: string;
  codeErrors: Record<string, string>;
  max: number;
  required?: boolean;
}) {
  const { t } = useTranslation();
  const classifier = useClassifier();
  const c = classifier.data;
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const [search, setSearch] = useState('');

  const typed = search.trim();
  const results = c ? searchClassifier(c, search, 40).filter((e) => !codes.includes(e.code)) : [];
  const offerTyped = CODE_RE.test(typed) && !codes.includes(typed) && !c?.byCode.has(typed);

  useEffect(() => {
    combobox.selectFirstOption();
  }, [search, c]);

  const add = (value: string) => {
    const code = value.startsWith(TYPED) ? value.slice(TYPED.length) : value;
    if (!codes.includes(code) && codes.length < max) onChange([...codes, code]);
    setSearch('');
    combobox.closeDropdown();
  };

  return (
    <Input.Wrapper
      label={t('form.codes')}
      required={required}
      description={t('form.codesHint')}
      error={error}
      id={id}
    >
      <Stack gap="xs" mt={4}>
        {codes.length > 0 && (
          <ul className={classes.codes} aria-label={t('form.codes')}>
            {codes.map((code) => {
              const path = c ? classifierPath(c, code) : [];
              const entry = path[path.length - 1];
              const err = codeErrors[code];
              return (
                <li key={code} className={err ? classes.codeError : undefined} data-code={code}>
                  <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
                    <div style={{ minWidth: 0 }}>
                      <Text size="sm">
                        <span className={classes.mono}>{code}</span>{' '}
                        {entry ? (
                          entry.name
                        ) : c ? (
                          <Text span c="orange.8" size="sm">
                            {t('classifier.unknown')}
                          </Text>
                        ) : null}
                      </Text>
                      {path.length > 1 && (
                        <Text size="xs" c="dimmed" lineClamp={1}>
                          {path
                            .slice(0, -1)
                            .map((p) => p.name)
                            .join(' › ')}
                        </Text>
                      )}
                      {err && (
                        <Text size="xs" c="red.8" role="alert" data-testid="code-error">
                          {err}
                        </Text>
                      )}
                    </div>
                    <ActionIcon variant="subtle" color="gray" aria-label={t('form.removeCode', { code })} onClick={() => onChange(codes.filter((x) => x !== code))}>
                      <CloseIcon />
                    </ActionIcon>
                  </Group>
                </li>
              );
            })}
          </ul>
        )}
        <Combobox store={combobox} onOptionSubmit={add} withinPortal={false}>
          <Combobox.Target>
            <TextInput
              id={id}
              value={search}
              disabled={codes.length >= max}
              placeholder={classifier.isPending ? t('classifier.loading') : t('form.codesAdd') + ': ' + t('classifier.placeholder').toLowerCase()}
              aria-describedby={`${id}-description${error ? ` ${id}-error` : ''}`}
              aria-invalid={!!error}
              error={!!error}
              onChange={(e) => {
                setSearch(e.currentTarget.value);
                combobox.openDropdown();
                combobox.updateSelectedOptionIndex();
              }}
              onFocus={() => combobox.openDropdown()}
              onClick={() => combobox.openDropdown()}
              onBlur={() => combobox.closeDropdown()}
            />
          </Combobox.Target>
          <Combobox.Dropdown>
            <Combobox.Options mah={320} style={{ overflowY: 'auto' }}>
              {offerTyped && (
                <Combobox.Option value={TYPED + typed}>
                  <Text size="sm">{t('classifier.addTyped', { code: typed })}</Text>
                </Combobox.Option>
              )}
              {results.map((e) => (
                <Combobox.Option value={e.code} key={e.code}>
                  <EntryOption level={e.level} short={e.short} name={e.name} />
                </Combobox.Option>
              ))}
              {!offerTyped && results.length === 0 && <Combobox.Empty>{classifier.isPending ? t('classifier.loading') : t('classifier.nothing')}</Combobox.Empty>}
            </Combobox.Options>
          </Combobox.Dropdown>
        </Combobox>
      </Stack>
    </Input.Wrapper>
  );
}
