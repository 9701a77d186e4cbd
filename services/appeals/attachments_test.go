package appeals_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	"github.com/cityhall-khv/cityhall/services/platform/testkit"
)

func TestAttachments(t *testing.T) {
	t.Parallel()
	h := start(t)
	ctx := h.as(t, "clerk.zhd")
	a := h.register(t, "clerk.zhd", nil)
	attach := func(login, filename, contentType string, content []byte) (*appealsv1.Attachment, error) {
		return h.client.CreateAttachment(h.as(t, login), &appealsv1.CreateAttachmentRequest{Parent: a.GetName(),
			Attachment: &appealsv1.Attachment{Filename: filename, ContentType: contentType, Content: content}})
	}
	scan := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("скан письма "), 1000)...)
	att := must[*appealsv1.Attachment](t)(attach("clerk.zhd", "Письмо Петрова.pdf", "application/pdf", scan))
	if !strings.HasPrefix(att.GetName(), a.GetName()+"/attachments/") || att.GetSizeBytes() != int64(len(scan)) ||
		att.GetCreator() != "clerk.zhd" || len(att.GetContent()) != 0 {
		t.Fatalf("attachment %v", att)
	}
	got := h.get(t, a)
	if got.GetAttachmentCount() != 1 || got.GetEtag() != "2" {
		t.Fatalf("appeal after the attachment: count %d etag %s", got.GetAttachmentCount(), got.GetEtag())
	}
	if hist := h.history(t, "clerk.zhd", a); !slices.Equal(hist, []string{"registered", "attachment_added"}) {
		t.Fatalf("history %v", hist)
	}

	_, err := attach("clerk.zhd", "virus.exe", "application/x-msdownload", []byte("MZ"))
	testkit.ExpectViolation(t, err, "attachment.content_type")
	_, err = attach("clerk.zhd", "fake.pdf", "application/pdf", []byte("MZ this is no pdf"))
	testkit.ExpectViolation(t, err, "attachment.content")
	// 10 MB is accepted (the gRPC server takes messages that big), a byte more is not.
	tenMB := append([]byte("%PDF-"), make([]byte, 10<<20-5)...)
	must[*appealsv1.Attachment](t)(attach("clerk.zhd", "big.pdf", "application/pdf", tenMB))
	_, err = attach("clerk.zhd", "bigger.pdf", "application/pdf", append(tenMB, 0))
	expect(t, err, codes.InvalidArgument, "ATTACHMENT_TOO_LARGE")

	// Who attaches: those working on the appeal.
	_, err = attach("curator", "x.txt", "text/plain", []byte("x"))
	expect(t, err, codes.PermissionDenied, "CANNOT_ATTACH")
	_, err = attach("clerk.ind", "x.txt", "text/plain", []byte("x"))
	expect(t, err, codes.NotFound, "NOT_FOUND")

	list := must[*appealsv1.ListAttachmentsResponse](t)(h.client.ListAttachments(h.as(t, "auditor"), &appealsv1.ListAttachmentsRequest{Parent: a.GetName()}))
	if len(list.GetAttachments()) != 2 || list.GetAttachments()[0].GetFilename() != "Письмо Петрова.pdf" {
		t.Fatalf("list %v", list.GetAttachments())
	}

	// The file itself: personal data, read by those working on the appeal, audited.
	var header metadata.MD
	body := must[*httpBody](t)(h.client.DownloadAttachment(ctx, &appealsv1.DownloadAttachmentRequest{Name: att.GetName()}, grpc.Header(&header)))
	if !bytes.Equal(body.GetData(), scan) || body.GetContentType() != "application/pdf" {
		t.Fatalf("downloaded %d bytes of %s", len(body.GetData()), body.GetContentType())
	}
	if cd := header.Get("content-disposition"); len(cd) != 1 || !strings.HasPrefix(cd[0], "attachment; filename*=utf-8''") {
		t.Fatalf("content-disposition %v", cd)
	}
	for login, reason := range map[string]string{"auditor": "NO_PERSONAL_DATA_ACCESS", "admin": "NO_PERSONAL_DATA_ACCESS", "clerk.ind": "NOT_FOUND"} {
		_, err := h.client.DownloadAttachment(h.as(t, login), &appealsv1.DownloadAttachmentRequest{Name: att.GetName()})
		if testkit.Reason(err) != reason {
			t.Errorf("%s downloads: %v", login, err)
		}
	}
	reads := h.audit(t, `action = READ_ATTACHMENT`)
	if len(reads) != 1 || reads[0].GetActor() != "clerk.zhd" || reads[0].GetAppeal() != a.GetName() {
		t.Fatalf("audit %v", reads)
	}
}
