import { Alert, Button, FileButton, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Appeal, Attachment } from '../../api/types';
import { appealId } from '../../api/types';
import { usePrincipal } from '../../auth/AuthContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Refusal } from '../../components/Refusal';
import { formatBytes, readAsBase64, saveBlob } from '../../lib/download';
import { formatDateTime } from '../../lib/time';
import { downloadAttachment, useAttachments, useUploadAttachment } from './queries';
import { attachesFiles, worksOnAppeal } from './workflow';

/** The service's default limit (APPEALS_ATTACHMENT_MAX_BYTES): 10 MiB. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** Accepted content types, and the type for an extension when the browser gives none. */
const BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  txt: 'text/plain',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  odt: 'application/vnd.oasis.opendocument.text',
  rtf: 'application/rtf',
};
export const ACCEPTED_TYPES = new Set([...Object.values(BY_EXTENSION), 'text/rtf']);
const ACCEPT_ATTR = [...Object.keys(BY_EXTENSION).map((e) => `.${e}`), ...ACCEPTED_TYPES].join(',');

/** The content type to send for a file, or null when the service would refuse it. */
export function attachmentType(file: { name: string; type: string }): string | null {
  const type = file.type.split(';')[0].trim().toLowerCase();
  if (ACCEPTED_TYPES.has(type)) return type;
  const ext = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase() ?? '';
  // Browsers leave the type empty (or generic) for some documents: the extension decides.
  if (!type || type === 'application/octet-stream' || type === 'application/x-rtf') return BY_EXTENSION[ext] ?? null;
  return null;
}

/** What is wrong with a file before it is sent (an i18n key), or null. */
export function checkFile(file: { name: string; type: string; size: number }, max = MAX_ATTACHMENT_BYTES): 'attachments.badType' | 'attachments.tooLarge' | 'attachments.empty' | null {
  if (!attachmentType(file)) return 'attachments.badType';
  if (file.size === 0) return 'attachments.empty';
  if (file.size > max) return 'attachments.tooLarge';
  return null;
}

export function AttachmentsSection({ appeal }: { appeal: Appeal }) {
  const { t, i18n } = useTranslation();
  const p = usePrincipal();
  const id = appealId(appeal);
  const list = useAttachments(id);
  const upload = useUploadAttachment(id);
  const canUpload = attachesFiles(p, appeal);
  const canDownload = worksOnAppeal(p, appeal);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const [downloading, setDownloading] = useState<string | null>(null);
  const resetRef = useRef<() => void>(null);
  const max = formatBytes(MAX_ATTACHMENT_BYTES, i18n.language);

  const onFile = async (file: File | null) => {
    resetRef.current?.();
    setProblem(null);
    setDone(null);
    upload.reset();
    if (!file) return;
    const bad = checkFile(file);
    if (bad) {
      setProblem(t(bad, { name: file.name, max }));
      return;
    }
    const content = await readAsBase64(file);
    upload.mutate(
      { filename: file.name, contentType: attachmentType(file)!, content },
      {
        onSuccess: () => {
          setDone(t('attachments.uploaded', { name: file.name }));
          void list.refetch();
        },
      },
    );
  };

  const download = async (a: Attachment) => {
    setDownloadError(null);
    setDownloading(a.name ?? '');
    try {
      const f = await downloadAttachment(a);
      saveBlob(f.blob, f.filename);
    } catch (e) {
      setDownloadError(e);
    } finally {
      setDownloading(null);
    }
  };

  const files = list.data ?? [];
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="card-attachments" data-testid="attachments">
      <Group justify="space-between" align="flex-start" gap="sm" mb="sm">
        <Title order={2} size="h4" id="card-attachments">
          {t('attachments.title')}
        </Title>
        {canUpload && (
          <FileButton onChange={(f) => void onFile(f)} accept={ACCEPT_ATTR} resetRef={resetRef} disabled={upload.isPending}>
            {(props) => (
              <Button size="compact-sm" variant="light" {...props} loading={upload.isPending} data-testid="attach-file">
                {t('attachments.add')}
              </Button>
            )}
          </FileButton>
        )}
      </Group>
      <Stack gap="sm">
        {list.isPending ? (
          <Loader size="sm" aria-label={t('app.loading')} />
        ) : list.isError ? (
          <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
        ) : files.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('attachments.none')}
          </Text>
        ) : (
          <ul style={{ listStyle: 'none', margin: 0, padding: 0 }} data-testid="attachment-list">
            {files.map((a) => (
              <li key={a.name} style={{ padding: '6px 0', borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
                <Group justify="space-between" wrap="nowrap" gap="sm" align="center">
                  <div style={{ minWidth: 0 }}>
                    <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
                      {a.filename}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {t('attachments.by', { size: formatBytes(Number(a.sizeBytes ?? 0), i18n.language), creator: a.creator ?? '', time: formatDateTime(a.createTime, i18n.language) })}
                    </Text>
                  </div>
                  {canDownload && (
                    <Button
                      size="compact-sm"
                      variant="default"
                      onClick={() => void download(a)}
                      loading={downloading === a.name}
                      aria-label={t('attachments.downloadName', { name: a.filename })}
                    >
                      {t('attachments.download')}
                    </Button>
                  )}
                </Group>
              </li>
            ))}
          </ul>
        )}
        {upload.isPending && (
          <Text size="sm" role="status">
            {t('app.loading')}
          </Text>
        )}
        {problem && (
          <Alert color="red" variant="light" role="alert" data-testid="attachment-problem">
            {problem}
          </Alert>
        )}
        {upload.error ? <Refusal error={upload.error} /> : null}
        {downloadError ? <Refusal error={downloadError} /> : null}
        {done && (
          <Text size="sm" c="teal.8" role="status">
            {done}
          </Text>
        )}
        <Text size="xs" c="dimmed">
          {canUpload ? `${t('attachments.rules', { max })} ` : ''}
          {canDownload ? t('attachments.audited') : files.length > 0 ? t('attachments.noDownload') : ''}
        </Text>
      </Stack>
    </Paper>
  );
}
