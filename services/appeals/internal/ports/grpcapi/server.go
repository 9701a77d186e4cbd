// Package grpcapi serves the appeals gRPC API: it maps protobuf to the use cases and back.
package grpcapi

import (
	"context"
	"mime"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"google.golang.org/genproto/googleapis/api/httpbody"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/app"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/apierr"
	"github.com/cityhall-khv/cityhall/services/platform/fieldmask"
	"github.com/cityhall-khv/cityhall/services/platform/idempotency"
	"github.com/cityhall-khv/cityhall/services/platform/listing"
)

const defaultPageSize = 50

// Server implements appealsv1.AppealServiceServer.
type Server struct {
	appealsv1.UnimplementedAppealServiceServer
	svc *app.Service
}

// New returns the gRPC server of the appeals service.
func New(svc *app.Service) *Server { return &Server{svc: svc} }

// parseName reads `appeals/{uuid}` (plus a suffix such as "/applicant") from field.
func parseName(field, name, suffix string) (uuid.UUID, error) {
	rest, ok := strings.CutPrefix(name, "appeals/")
	if ok {
		rest, ok = strings.CutSuffix(rest, suffix)
	}
	id, err := uuid.Parse(rest)
	if !ok || err != nil {
		return uuid.Nil, app.Errors.Invalid("INVALID_NAME", field+" must be appeals/{uuid}"+suffix,
			apierr.FieldViolation{Field: field, Description: "not appeals/{uuid}" + suffix})
	}
	return id, nil
}

func ref(name, etag string) (app.Ref, error) {
	id, err := parseName("name", name, "")
	return app.Ref{ID: id, Name: name, Etag: etag}, err
}

func pageSize(n int32) int {
	if n == 0 {
		return defaultPageSize
	}
	return int(n)
}

func (s *Server) CreateAppeal(ctx context.Context, req *appealsv1.CreateAppealRequest) (*appealsv1.Appeal, error) {
	idem, err := idempotency.KeyFor(ctx, app.Errors, req.GetRequestId(), "CreateAppeal", req)
	if err != nil {
		return nil, err
	}
	r, err := registrationOf(req)
	if err != nil {
		return nil, err
	}
	a, err := s.svc.RegisterAppeal(ctx, r, idem)
	if err != nil {
		return nil, err
	}
	return appealToProto(a), nil
}

func (s *Server) GetAppeal(ctx context.Context, req *appealsv1.GetAppealRequest) (*appealsv1.Appeal, error) {
	id, err := parseName("name", req.GetName(), "")
	if err != nil {
		return nil, err
	}
	a, err := s.svc.GetAppeal(ctx, id, req.GetName())
	if err != nil {
		return nil, err
	}
	return appealToProto(a), nil
}

func (s *Server) ListAppeals(ctx context.Context, req *appealsv1.ListAppealsRequest) (*appealsv1.ListAppealsResponse, error) {
	q, err := parseFilter(req.GetFilter())
	if err != nil {
		return nil, err
	}
	if q.Order, err = parseOrder(req.GetOrderBy()); err != nil {
		return nil, err
	}
	q.Limit = pageSize(req.GetPageSize())
	fingerprint := queryFingerprint(req)
	if req.GetPageToken() != "" {
		c, err := decodePageToken(req.GetPageToken(), fingerprint)
		if err != nil {
			return nil, err
		}
		q.After = &c
	}
	rows, more, err := s.svc.ListAppeals(ctx, q)
	if err != nil {
		return nil, err
	}
	resp := &appealsv1.ListAppealsResponse{Appeals: make([]*appealsv1.Appeal, len(rows))}
	for i, a := range rows {
		resp.Appeals[i] = appealToProto(a)
	}
	if more {
		resp.NextPageToken = encodePageToken(app.CursorOf(rows[len(rows)-1], q.Order), fingerprint)
	}
	return resp, nil
}

// updatable are the fields of the registration card UpdateAppeal corrects.
var updatable = []string{"text", "classifier_codes", "district", "addressee", "collective", "signatories",
	"reception_card", "related_appeals"}

func (s *Server) UpdateAppeal(ctx context.Context, req *appealsv1.UpdateAppealRequest) (*appealsv1.Appeal, error) {
	a := req.GetAppeal()
	id, err := parseName("appeal.name", a.GetName(), "")
	if err != nil {
		return nil, err
	}
	fields, err := fieldmask.Fields(app.Errors, req.GetUpdateMask(), a, updatable)
	if err != nil {
		return nil, err
	}
	if len(fields) == 0 {
		return nil, app.Errors.Invalid("NOTHING_TO_UPDATE", "name the fields to correct in update_mask",
			apierr.FieldViolation{Field: "update_mask", Description: "no correctable field; correctable: " + strings.Join(updatable, ", ")})
	}
	related, err := appealIDs("appeal.related_appeals", a.GetRelatedAppeals())
	if err != nil {
		return nil, err
	}
	c := domain.Correction{Fields: fields, Text: a.GetText(), ClassifierCodes: a.GetClassifierCodes(), District: a.GetDistrict(),
		Addressee: a.GetAddressee(), Collective: a.GetCollective(), Signatories: int(a.GetSignatories()),
		ReceptionCard: cardFromProto(a.GetReceptionCard()), RelatedAppeals: related}
	out, err := s.svc.UpdateAppeal(ctx, app.Ref{ID: id, Name: a.GetName(), Etag: a.GetEtag()}, c)
	if err != nil {
		return nil, err
	}
	return appealToProto(out), nil
}

// step runs a workflow method and maps its result.
func step(r app.Ref, err error, run func(app.Ref) (domain.Appeal, error)) (*appealsv1.Appeal, error) {
	if err != nil {
		return nil, err
	}
	a, err := run(r)
	if err != nil {
		return nil, err
	}
	return appealToProto(a), nil
}

func (s *Server) AssignAppeal(ctx context.Context, req *appealsv1.AssignAppealRequest) (*appealsv1.Appeal, error) {
	r, err := ref(req.GetName(), req.GetEtag())
	return step(r, err, func(r app.Ref) (domain.Appeal, error) {
		return s.svc.AssignAppeal(ctx, r, domain.Assignment{Department: req.GetDepartment(), CoExecutors: req.GetCoExecutors(), Executor: req.GetExecutor()})
	})
}

func (s *Server) StartAppeal(ctx context.Context, req *appealsv1.StartAppealRequest) (*appealsv1.Appeal, error) {
	r, err := ref(req.GetName(), req.GetEtag())
	return step(r, err, func(r app.Ref) (domain.Appeal, error) { return s.svc.StartAppeal(ctx, r) })
}

func (s *Server) ForwardAppeal(ctx context.Context, req *appealsv1.ForwardAppealRequest) (*appealsv1.Appeal, error) {
	r, err := ref(req.GetName(), req.GetEtag())
	return step(r, err, func(r app.Ref) (domain.Appeal, error) {
		return s.svc.ForwardAppeal(ctx, r, domain.ForwardTo{Body: req.GetBody(), ComplaintAgainst: req.GetComplaintAgainst(),
			ApplicantNotified: req.GetApplicantNotified()})
	})
}

func (s *Server) ExtendAppeal(ctx context.Context, req *appealsv1.ExtendAppealRequest) (*appealsv1.Appeal, error) {
	r, err := ref(req.GetName(), req.GetEtag())
	return step(r, err, func(r app.Ref) (domain.Appeal, error) {
		return s.svc.ExtendAppeal(ctx, r, int(req.GetDays()), req.GetReason())
	})
}

func (s *Server) AnswerAppeal(ctx context.Context, req *appealsv1.AnswerAppealRequest) (*appealsv1.Appeal, error) {
	r, err := ref(req.GetName(), req.GetEtag())
	return step(r, err, func(r app.Ref) (domain.Appeal, error) {
		return s.svc.AnswerAppeal(ctx, r, domain.AnswerWith{Text: req.GetText(), Result: domain.AnswerResult(req.GetResult()),
			Signer: req.GetSigner(), Oral: req.GetOral()})
	})
}

func (s *Server) ReturnAppeal(ctx context.Context, req *appealsv1.ReturnAppealRequest) (*appealsv1.Appeal, error) {
	r, err := ref(req.GetName(), req.GetEtag())
	return step(r, err, func(r app.Ref) (domain.Appeal, error) { return s.svc.ReturnAppeal(ctx, r, req.GetReason()) })
}

func (s *Server) LeaveAppealWithoutAnswer(ctx context.Context, req *appealsv1.LeaveAppealWithoutAnswerRequest) (*appealsv1.Appeal, error) {
	r, err := ref(req.GetName(), req.GetEtag())
	return step(r, err, func(r app.Ref) (domain.Appeal, error) {
		return s.svc.LeaveWithoutAnswer(ctx, r, domain.LeaveReason(req.GetReason()), req.GetComment())
	})
}

func (s *Server) EndCorrespondence(ctx context.Context, req *appealsv1.EndCorrespondenceRequest) (*appealsv1.Appeal, error) {
	r, err := ref(req.GetName(), req.GetEtag())
	return step(r, err, func(r app.Ref) (domain.Appeal, error) { return s.svc.EndCorrespondence(ctx, r, req.GetReason()) })
}

func (s *Server) ReopenAppeal(ctx context.Context, req *appealsv1.ReopenAppealRequest) (*appealsv1.Appeal, error) {
	r, err := ref(req.GetName(), req.GetEtag())
	return step(r, err, func(r app.Ref) (domain.Appeal, error) { return s.svc.ReopenAppeal(ctx, r, req.GetReason()) })
}

func (s *Server) MarkDuplicate(ctx context.Context, req *appealsv1.MarkDuplicateRequest) (*appealsv1.Appeal, error) {
	r, err := ref(req.GetName(), req.GetEtag())
	if err != nil {
		return nil, err
	}
	target, err := parseName("duplicate_of", req.GetDuplicateOf(), "")
	return step(r, err, func(r app.Ref) (domain.Appeal, error) { return s.svc.MarkDuplicate(ctx, r, target) })
}

func (s *Server) ListAppealHistory(ctx context.Context, req *appealsv1.ListAppealHistoryRequest) (*appealsv1.ListAppealHistoryResponse, error) {
	id, err := parseName("parent", req.GetParent(), "")
	if err != nil {
		return nil, err
	}
	fingerprint := listing.Fingerprint("ListAppealHistory", req.GetParent())
	var after int64
	if req.GetPageToken() != "" {
		keys, err := listing.DecodeToken(app.Errors, req.GetPageToken(), fingerprint, 1)
		if err != nil {
			return nil, err
		}
		if after, err = strconv.ParseInt(keys[0], 10, 64); err != nil {
			return nil, listing.BadPageToken(app.Errors)
		}
	}
	rows, more, err := s.svc.AppealHistory(ctx, id, after, pageSize(req.GetPageSize()))
	if err != nil {
		return nil, err
	}
	resp := &appealsv1.ListAppealHistoryResponse{Entries: make([]*appealsv1.AppealHistoryEntry, len(rows))}
	for i, h := range rows {
		resp.Entries[i] = historyToProto(h)
	}
	if more {
		resp.NextPageToken = listing.EncodeToken(fingerprint, strconv.FormatInt(rows[len(rows)-1].ID, 10))
	}
	return resp, nil
}

func (s *Server) GetApplicant(ctx context.Context, req *appealsv1.GetApplicantRequest) (*appealsv1.Applicant, error) {
	id, err := parseName("name", req.GetName(), "/applicant")
	if err != nil {
		return nil, err
	}
	p, err := s.svc.GetApplicant(ctx, id, req.GetPurpose())
	if err != nil {
		return nil, err
	}
	return applicantToProto(id, p), nil
}

func (s *Server) ListAuditRecords(ctx context.Context, req *appealsv1.ListAuditRecordsRequest) (*appealsv1.ListAuditRecordsResponse, error) {
	q, err := parseAuditFilter(req.GetFilter())
	if err != nil {
		return nil, err
	}
	q.Limit = pageSize(req.GetPageSize())
	fingerprint := listing.Fingerprint("ListAuditRecords", req.GetFilter())
	if req.GetPageToken() != "" {
		keys, err := listing.DecodeToken(app.Errors, req.GetPageToken(), fingerprint, 1)
		if err != nil {
			return nil, err
		}
		if q.AfterID, err = strconv.ParseInt(keys[0], 10, 64); err != nil {
			return nil, listing.BadPageToken(app.Errors)
		}
	}
	rows, more, err := s.svc.ListAuditRecords(ctx, q)
	if err != nil {
		return nil, err
	}
	resp := &appealsv1.ListAuditRecordsResponse{Records: make([]*appealsv1.AuditRecord, len(rows))}
	for i, r := range rows {
		resp.Records[i] = auditToProto(r)
	}
	if more {
		resp.NextPageToken = listing.EncodeToken(fingerprint, strconv.FormatInt(rows[len(rows)-1].ID, 10))
	}
	return resp, nil
}

func (s *Server) CreateAttachment(ctx context.Context, req *appealsv1.CreateAttachmentRequest) (*appealsv1.Attachment, error) {
	id, err := parseName("parent", req.GetParent(), "")
	if err != nil {
		return nil, err
	}
	in := req.GetAttachment()
	att, err := s.svc.CreateAttachment(ctx, domain.Attachment{AppealID: id, Filename: in.GetFilename(),
		ContentType: in.GetContentType(), Content: in.GetContent()})
	if err != nil {
		return nil, err
	}
	return attachmentToProto(att), nil
}

func (s *Server) ListAttachments(ctx context.Context, req *appealsv1.ListAttachmentsRequest) (*appealsv1.ListAttachmentsResponse, error) {
	id, err := parseName("parent", req.GetParent(), "")
	if err != nil {
		return nil, err
	}
	rows, err := s.svc.ListAttachments(ctx, id)
	if err != nil {
		return nil, err
	}
	resp := &appealsv1.ListAttachmentsResponse{Attachments: make([]*appealsv1.Attachment, len(rows))}
	for i, a := range rows {
		resp.Attachments[i] = attachmentToProto(a)
	}
	return resp, nil
}

func (s *Server) DownloadAttachment(ctx context.Context, req *appealsv1.DownloadAttachmentRequest) (*httpbody.HttpBody, error) {
	name := req.GetName()
	parent, attID, ok := strings.Cut(name, "/attachments/")
	appealID, err := parseName("name", parent, "")
	id, errID := uuid.Parse(attID)
	if !ok || err != nil || errID != nil {
		return nil, app.Errors.Invalid("INVALID_NAME", "name must be appeals/{uuid}/attachments/{uuid}",
			apierr.FieldViolation{Field: "name", Description: "not appeals/{uuid}/attachments/{uuid}"})
	}
	att, err := s.svc.DownloadAttachment(ctx, appealID, id)
	if err != nil {
		return nil, err
	}
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": att.Filename})
	if disposition == "" {
		disposition = "attachment"
	}
	_ = grpc.SetHeader(ctx, metadata.Pairs("content-disposition", disposition))
	return &httpbody.HttpBody{ContentType: att.ContentType, Data: att.Content}, nil
}
