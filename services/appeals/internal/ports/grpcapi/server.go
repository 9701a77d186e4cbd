// Package grpcapi serves the appeals gRPC API: it maps protobuf to the use cases and back.
package grpcapi

import (
	"context"
	"strings"

	"github.com/google/uuid"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/app"
	"github.com/cityhall-khv/cityhall/services/platform/apierr"
	"github.com/cityhall-khv/cityhall/services/platform/idempotency"
)

const defaultPageSize = 50

// Server implements appealsv1.AppealServiceServer.
type Server struct {
	appealsv1.UnimplementedAppealServiceServer
	svc *app.Service
}

// New returns the gRPC server of the appeals service.
func New(svc *app.Service) *Server { return &Server{svc: svc} }

func (s *Server) CreateAppeal(ctx context.Context, req *appealsv1.CreateAppealRequest) (*appealsv1.Appeal, error) {
	idem, err := idempotency.KeyFor(ctx, app.Errors, req.GetRequestId(), "CreateAppeal", req)
	if err != nil {
		return nil, err
	}
	a, err := s.svc.RegisterAppeal(ctx, registrationOf(req.GetAppeal()), idem)
	if err != nil {
		return nil, err
	}
	return appealToProto(a), nil
}

func (s *Server) GetAppeal(ctx context.Context, req *appealsv1.GetAppealRequest) (*appealsv1.Appeal, error) {
	id, err := uuid.Parse(strings.TrimPrefix(req.GetName(), "appeals/"))
	if err != nil {
		return nil, app.Errors.Invalid("INVALID_NAME", "name must be appeals/{uuid}",
			apierr.FieldViolation{Field: "name", Description: "not appeals/{uuid}"})
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
	q.Limit = int(req.GetPageSize())
	if q.Limit == 0 {
		q.Limit = defaultPageSize
	}
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
