import { Alert, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Appeal } from '../../../api/types';
import { appealId } from '../../../api/types';
import { usePrincipal } from '../../../auth/AuthContext';
import { Refusal } from '../../../components/Refusal';
import { useToday } from '../../../lib/useToday';
import { type ActionRequest, isEtagMismatch, useAppealAction } from '../queries';
import { type ActionKind, availableActions, changesAppeal, worksOnAppeal } from '../workflow';
import { ActionDialog, type DialogKind } from './ActionDialog';

type Notice = { kind: 'done'; action: ActionKind } | { kind: 'conflict'; action: ActionKind } | { kind: 'refused'; action: ActionKind; error: unknown };

/** The next step on the main path gets the primary button. */
function primaryOf(a: Appeal): ActionKind | null {
  switch (a.state) {
    case 'APPEAL_STATE_REGISTERED':
      return 'assign';
    case 'APPEAL_STATE_ASSIGNED':
      return 'start';
    case 'APPEAL_STATE_IN_PROGRESS':
      return a.anonymous ? null : 'answer';
    default:
      return null;
  }
}

/**
 * The workflow buttons of the card: only the steps the appeal's state and the user's role
 * allow. Every step sends the etag of the appeal on screen; a stale one (someone else changed
 * the appeal) reloads the card and says so, keeping what was typed as a draft.
 */
export function ActionsPanel({ appeal }: { appeal: Appeal }) {
  const { t } = useTranslation();
  const p = usePrincipal();
  const today = useToday();
  const id = appealId(appeal);
  const actions = availableActions(p, appeal, today);
  const mutation = useAppealAction(id);
  const [open, setOpen] = useState<DialogKind | null>(null);
  // The version the clerk saw when she opened the dialog: a change since then is a conflict.
  const [seenEtag, setSeenEtag] = useState('');
  const [dialogError, setDialogError] = useState<unknown>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);

  // A notice takes the focus when the button that led to it may be gone (the state moved on).
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  const run = (request: ActionRequest, done?: () => void) => {
    setNotice(null);
    setDialogError(null);
    mutation.mutate(
      { etag: request.kind === 'start' ? (appeal.etag ?? '') : seenEtag, request },
      {
        onSuccess: () => {
          done?.();
          setOpen(null);
          setNotice({ kind: 'done', action: request.kind });
        },
        onError: (e) => {
          if (isEtagMismatch(e)) {
            setOpen(null);
            setNotice({ kind: 'conflict', action: request.kind });
          } else if (request.kind === 'start') {
            setNotice({ kind: 'refused', action: request.kind, error: e });
          } else {
            setDialogError(e);
          }
        },
      },
    );
  };

  const primary = primaryOf(appeal);
  const canChange = changesAppeal(p, appeal);

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="card-actions" data-testid="actions">
      <Stack gap="sm">
        <Title order={2} size="h4" id="card-actions">
          {t('actions.title')}
        </Title>
        {notice && (
          <div ref={noticeRef} tabIndex={-1} style={{ outline: 'none' }}>
            {notice.kind === 'done' && (
              <Alert color="teal" variant="light" role="status" data-testid="action-done" withCloseButton onClose={() => setNotice(null)} closeButtonLabel={t('common.close')}>
                {t(`actions.done.${notice.action}`)}
              </Alert>
            )}
            {notice.kind === 'conflict' && (
              <Alert color="orange" variant="light" role="alert" title={t('actions.conflictTitle')} data-testid="action-conflict" withCloseButton onClose={() => setNotice(null)} closeButtonLabel={t('common.close')}>
                {t('actions.conflict')}
              </Alert>
            )}
            {notice.kind === 'refused' && <Refusal error={notice.error} />}
          </div>
        )}
        {!canChange ? (
          <Text size="sm" c="dimmed" data-testid="actions-read-only">
            {worksOnAppeal(p, appeal) && p.roles.some((r) => r === 'clerk' || r === 'head') ? t('actions.coExecutorOnly') : t('actions.readOnly')}
          </Text>
        ) : actions.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="actions-none">
            {t('actions.noneNow')}
          </Text>
        ) : (
          <Group gap="xs">
            {actions.map((k) => (
              <Button
                key={k}
                size="sm"
                variant={k === primary ? 'filled' : 'default'}
                data-testid={`action-${k}`}
                loading={k === 'start' && mutation.isPending}
                disabled={mutation.isPending}
                onClick={() => {
                  if (k === 'start') run({ kind: 'start' });
                  else {
                    setDialogError(null);
                    setNotice(null);
                    setSeenEtag(appeal.etag ?? '');
                    setOpen(k);
                  }
                }}
              >
                {t(`actions.${k}`)}
              </Button>
            ))}
          </Group>
        )}
      </Stack>
      {open && (
        <ActionDialog
          kind={open}
          appeal={appeal}
          pending={mutation.isPending}
          error={dialogError}
          onSubmit={run}
          onClose={() => {
            if (!mutation.isPending) setOpen(null);
          }}
        />
      )}
    </Paper>
  );
}
