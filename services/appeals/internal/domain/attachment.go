package domain

import (
	"bytes"
	"fmt"
	"mime"
	"strings"
	"time"

	"github.com/google/uuid"
)

// DefaultMaxAttachmentBytes is the largest attachment unless configured otherwise (10 MB).
const DefaultMaxAttachmentBytes = 10 << 20

// Attachment is a file attached to an appeal.
type Attachment struct {
	ID          uuid.UUID
	AppealID    uuid.UUID
	Filename    string
	ContentType string
	Size        int64
	Content     []byte // only when the file itself is read
	Creator     string // login
	CreateTime  time.Time
}

// AttachmentTypes are the content types an appeal's attachment may have: documents and scans.
var AttachmentTypes = map[string]bool{
	"application/pdf":    true,
	"image/jpeg":         true,
	"image/png":          true,
	"image/tiff":         true,
	"text/plain":         true,
	"application/msword": true,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": true,
	"application/vnd.oasis.opendocument.text":                                 true,
	"application/rtf": true,
	"text/rtf":        true,
}

// magic is how files of the types whose format is easy to recognise begin.
var magic = map[string][][]byte{
	"application/pdf": {[]byte("%PDF-")},
	"image/jpeg":      {{0xFF, 0xD8, 0xFF}},
	"image/png":       {{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}},
	"image/tiff":      {{'I', 'I', 0x2A, 0x00}, {'M', 'M', 0x00, 0x2A}},
	"application/rtf": {[]byte(`{\rtf`)},
	"text/rtf":        {[]byte(`{\rtf`)},
}

// CheckAttachment applies the attachment rules: a file name, an allowed content type that
// matches the content where it can be recognised, and a size from 1 byte to maxBytes.
// It returns the content type normalised (lower case, no parameters).
func CheckAttachment(filename, contentType string, content []byte, maxBytes int64) (string, []Violation) {
	var vs []Violation
	if strings.TrimSpace(filename) == "" || strings.ContainsAny(filename, "/\\\x00") {
		vs = append(vs, Violation{"filename", "a file name without path separators"})
	}
	ct, _, err := mime.ParseMediaType(contentType)
	switch {
	case err != nil || !AttachmentTypes[ct]:
		vs = append(vs, Violation{"content_type", fmt.Sprintf("%q is not accepted; attach PDF, JPEG, PNG, TIFF, text, DOC, DOCX, ODT or RTF", contentType)})
	case len(content) > 0 && !matchesMagic(ct, content):
		vs = append(vs, Violation{"content", fmt.Sprintf("the file is not %s", ct)})
	}
	switch {
	case len(content) == 0:
		vs = append(vs, Violation{"content", "the file is empty"})
	case int64(len(content)) > maxBytes:
		vs = append(vs, Violation{"content", fmt.Sprintf("the file is %d bytes; at most %d are accepted", len(content), maxBytes)})
	}
	return ct, vs
}

func matchesMagic(ct string, content []byte) bool {
	prefixes, ok := magic[ct]
	if !ok {
		return true
	}
	for _, p := range prefixes {
		if bytes.HasPrefix(content, p) {
			return true
		}
	}
	return false
}
