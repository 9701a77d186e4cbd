import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { appeal, clerk, fakeApi, fakeSession, json, renderApp } from '../../test/utils';
import { MAX_ATTACHMENT_BYTES, attachmentType, checkFile } from './AttachmentsSection';

afterEach(() => vi.restoreAllMocks());

describe('attachments', () => {
  it('checks the type (by extension when the browser gives none) and the size before sending', () => {
    expect(attachmentType({ name: 'scan.PDF', type: 'application/pdf' })).toBe('application/pdf');
    expect(attachmentType({ name: 'letter.odt', type: '' })).toBe('application/vnd.oasis.opendocument.text');
    expect(attachmentType({ name: 'letter.rtf', type: 'application/octet-stream' })).toBe('application/rtf');
    expect(attachmentType({ name: 'virus.exe', type: 'application/x-msdownload' })).toBeNull();
    expect(attachmentType({ name: 'photo.gif', type: 'image/gif' })).toBeNull();
    expect(checkFile({ name: 'a.txt', type: 'text/plain', size: 0 })).toBe('attachments.empty');
    expect(checkFile({ name: 'a.txt', type: 'text/plain', size: MAX_ATTACHMENT_BYTES })).toBeNull();
    expect(checkFile({ name: 'a.txt', type: 'text/plain', size: MAX_ATTACHMENT_BYTES + 1 })).toBe('attachments.tooLarge');
  });

  it('lists, uploads as base64 and downloads with the name the server gives', async () => {
    const a = appeal();
    const id = a.name!.slice(8);
    const files = [{ name: `appeals/${id}/attachments/01900000-0000-7000-8000-0000000000a1`, filename: 'скан.pdf', contentType: 'application/pdf', sizeBytes: '2048', creator: 'clerk.zhd', createTime: '2026-03-01T02:00:00Z' }];
    const api = fakeApi(
      (_, url) => (url.pathname === `/v1/appeals/${id}` ? json(a) : undefined),
      (req, url) => {
        if (url.pathname !== `/v1/appeals/${id}/attachments`) return undefined;
        if (req.method === 'POST') {
          files.push({ ...files[0], name: `${files[0].name}2`, filename: 'ответ.txt', contentType: 'text/plain', sizeBytes: '5' });
          return json(files[1]);
        }
        return json({ attachments: files });
      },
      (_, url) =>
        url.pathname.endsWith(':download')
          ? new Response(new Blob(['%PDF-1.4']), { status: 200, headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename*=utf-8''%D1%81%D0%BA%D0%B0%D0%BD.pdf` } })
          : undefined,
    );
    const saved: string[] = [];
    URL.createObjectURL = vi.fn(() => 'blob:x');
    URL.revokeObjectURL = vi.fn();
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    // As if the browser's file dialog let anything through (accept is only a hint).
    const user = userEvent.setup({ applyAccept: false });
    renderApp(`/appeals/${id}`, { session: fakeSession(clerk) });
    const section = await screen.findByRole('region', { name: 'Вложения' });
    expect(await within(section).findByText('скан.pdf')).toBeInTheDocument();
    expect(within(section).getByText(/2 КБ · clerk\.zhd · 01\.03\.2026, 12:00/)).toBeInTheDocument();

    await user.click(within(section).getByRole('button', { name: 'Скачать скан.pdf' }));
    await waitFor(() => expect(saved).toEqual(['скан.pdf']));
    expect(api.requests.some((r) => r.url.pathname === `/v1/appeals/${id}/attachments/01900000-0000-7000-8000-0000000000a1:download`)).toBe(true);

    // A file of a type the service refuses is stopped here.
    const input = section.querySelector('input[type=file]') as HTMLInputElement;
    await user.upload(input, new File(['x'], 'program.exe', { type: 'application/x-msdownload' }));
    expect(await within(section).findByTestId('attachment-problem')).toHaveTextContent('Файл «program.exe» недопустимого типа');
    expect(api.requests.some((r) => r.method === 'POST')).toBe(false);

    await user.upload(input, new File(['hello'], 'ответ.txt', { type: 'text/plain' }));
    expect(await within(section).findByText('Файл «ответ.txt» прикреплён.')).toBeInTheDocument();
    const post = api.requests.find((r) => r.method === 'POST')!;
    expect(post.body).toEqual({ filename: 'ответ.txt', contentType: 'text/plain', content: btoa('hello') });
    expect(await within(section).findByText('ответ.txt')).toBeInTheDocument();
  });
});
