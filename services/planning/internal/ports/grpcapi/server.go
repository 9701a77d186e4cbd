// Package grpcapi serves the directory's gRPC API: it maps protobuf to the use cases and back.
package grpcapi

import (
	"context"
	"github.com/cityhall-khv/cityhall/services/platform/fieldmask"
	"github.com/cityhall-khv/cityhall/services/platform/listing"
	"strings"

	"github.com/google/uuid"
	"google.golang.org/protobuf/proto"

	planningv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/planning/v1"
	"github.com/cityhall-khv/cityhall/services/planning/internal/app"
	"github.com/cityhall-khv/cityhall/services/planning/internal/domain"
	"github.com/cityhall-khv/cityhall/services/planning/internal/pb"
	"github.com/cityhall-khv/cityhall/services/platform/idempotency"
)

// The directory is small (tens of rows): one page holds all of it unless the client asks less.
const defaultPageSize = 1000

// Server implements planningv1.DirectoryServiceServer.
type Server struct {
	planningv1.UnimplementedDirectoryServiceServer
	svc *app.Service
}

// New returns the gRPC server of the directory.
func New(svc *app.Service) *Server { return &Server{svc: svc} }

// Districts.

func (s *Server) GetDistrict(ctx context.Context, req *planningv1.GetDistrictRequest) (*planningv1.District, error) {
	d, err := s.svc.GetDistrict(ctx, strings.TrimPrefix(req.GetName(), pb.DistrictPrefix))
	return orNil(d, err, pb.District)
}

func (s *Server) ListDistricts(ctx context.Context, req *planningv1.ListDistrictsRequest) (*planningv1.ListDistrictsResponse, error) {
	fp := fingerprint(req.ProtoReflect().Descriptor().FullName())
	var after string
	if req.GetPageToken() != "" {
		keys, err := decodePageToken(req.GetPageToken(), fp, 1)
		if err != nil {
			return nil, err
		}
		after = keys[0]
	}
	rows, more, err := s.svc.ListDistricts(ctx, after, pageSize(req.GetPageSize()))
	if err != nil {
		return nil, err
	}
	resp := &planningv1.ListDistrictsResponse{Districts: mapAll(rows, pb.District)}
	if more {
		resp.NextPageToken = encodePageToken(fp, rows[len(rows)-1].Code)
	}
	return resp, nil
}

func (s *Server) CreateDistrict(ctx context.Context, req *planningv1.CreateDistrictRequest) (*planningv1.District, error) {
	idem, err := idempotency.KeyFor(ctx, app.Errors, req.GetRequestId(), "CreateDistrict", req)
	if err != nil {
		return nil, err
	}
	d, err := s.svc.CreateDistrict(ctx, districtOf(req.GetDistrict()), idem)
	return orNil(d, err, pb.District)
}

func (s *Server) UpdateDistrict(ctx context.Context, req *planningv1.UpdateDistrictRequest) (*planningv1.District, error) {
	fields, err := fieldmask.Fields(app.Errors, req.GetUpdateMask(), req.GetDistrict(), domain.DistrictFields)
	if err != nil {
		return nil, err
	}
	in := req.GetDistrict()
	code, err := codeOf(in.GetName(), in.GetCode(), pb.DistrictPrefix, "district")
	if err != nil {
		return nil, err
	}
	p := districtOf(in)
	p.Code = code
	d, err := s.svc.UpdateDistrict(ctx, p, fields, in.GetEtag())
	return orNil(d, err, pb.District)
}

// Departments.

func (s *Server) GetDepartment(ctx context.Context, req *planningv1.GetDepartmentRequest) (*planningv1.Department, error) {
	d, err := s.svc.GetDepartment(ctx, strings.TrimPrefix(req.GetName(), pb.DepartmentPrefix))
	return orNil(d, err, pb.Department)
}

func (s *Server) ListDepartments(ctx context.Context, req *planningv1.ListDepartmentsRequest) (*planningv1.ListDepartmentsResponse, error) {
	q, err := departmentFilter(req.GetFilter())
	if err != nil {
		return nil, err
	}
	q.ShowDeactivated = req.GetShowDeactivated()
	q.Limit = pageSize(req.GetPageSize())
	fp := fingerprint(req.ProtoReflect().Descriptor().FullName(), req.GetFilter(), boolString(req.GetShowDeactivated()))
	if req.GetPageToken() != "" {
		keys, err := decodePageToken(req.GetPageToken(), fp, 1)
		if err != nil {
			return nil, err
		}
		q.After = keys[0]
	}
	rows, more, err := s.svc.ListDepartments(ctx, q)
	if err != nil {
		return nil, err
	}
	resp := &planningv1.ListDepartmentsResponse{Departments: mapAll(rows, pb.Department)}
	if more {
		resp.NextPageToken = encodePageToken(fp, rows[len(rows)-1].Code)
	}
	return resp, nil
}

func (s *Server) CreateDepartment(ctx context.Context, req *planningv1.CreateDepartmentRequest) (*planningv1.Department, error) {
	idem, err := idempotency.KeyFor(ctx, app.Errors, req.GetRequestId(), "CreateDepartment", req)
	if err != nil {
		return nil, err
	}
	d, err := departmentOf(req.GetDepartment())
	if err != nil {
		return nil, err
	}
	out, err := s.svc.CreateDepartment(ctx, d, idem)
	return orNil(out, err, pb.Department)
}

func (s *Server) UpdateDepartment(ctx context.Context, req *planningv1.UpdateDepartmentRequest) (*planningv1.Department, error) {
	fields, err := fieldmask.Fields(app.Errors, req.GetUpdateMask(), req.GetDepartment(), domain.DepartmentFields)
	if err != nil {
		return nil, err
	}
	in := req.GetDepartment()
	code, err := codeOf(in.GetName(), in.GetCode(), pb.DepartmentPrefix, "department")
	if err != nil {
		return nil, err
	}
	p, err := departmentOf(in)
	if err != nil {
		return nil, err
	}
	p.Code = code
	out, err := s.svc.UpdateDepartment(ctx, p, fields, in.GetEtag())
	return orNil(out, err, pb.Department)
}

func (s *Server) DeactivateDepartment(ctx context.Context, req *planningv1.DeactivateDepartmentRequest) (*planningv1.Department, error) {
	d, err := s.svc.SetDepartmentActive(ctx, strings.TrimPrefix(req.GetName(), pb.DepartmentPrefix), false, req.GetEtag())
	return orNil(d, err, pb.Department)
}

func (s *Server) ActivateDepartment(ctx context.Context, req *planningv1.ActivateDepartmentRequest) (*planningv1.Department, error) {
	d, err := s.svc.SetDepartmentActive(ctx, strings.TrimPrefix(req.GetName(), pb.DepartmentPrefix), true, req.GetEtag())
	return orNil(d, err, pb.Department)
}

// Officials.

func (s *Server) GetOfficial(ctx context.Context, req *planningv1.GetOfficialRequest) (*planningv1.Official, error) {
	id, err := officialID(req.GetName(), "name")
	if err != nil {
		return nil, err
	}
	o, err := s.svc.GetOfficial(ctx, id)
	return orNil(o, err, pb.Official)
}

func (s *Server) ListOfficials(ctx context.Context, req *planningv1.ListOfficialsRequest) (*planningv1.ListOfficialsResponse, error) {
	q, err := officialFilter(req.GetFilter())
	if err != nil {
		return nil, err
	}
	q.Limit = pageSize(req.GetPageSize())
	fp := fingerprint(req.ProtoReflect().Descriptor().FullName(), req.GetFilter())
	if req.GetPageToken() != "" {
		keys, err := decodePageToken(req.GetPageToken(), fp, 2)
		if err != nil {
			return nil, err
		}
		id, err := uuid.Parse(keys[1])
		if err != nil {
			return nil, listing.BadPageToken(app.Errors)
		}
		q.After = &app.OfficialCursor{FullName: keys[0], ID: id}
	}
	rows, more, err := s.svc.ListOfficials(ctx, q)
	if err != nil {
		return nil, err
	}
	resp := &planningv1.ListOfficialsResponse{Officials: mapAll(rows, pb.Official)}
	if more {
		last := rows[len(rows)-1]
		resp.NextPageToken = encodePageToken(fp, last.FullName, last.ID.String())
	}
	return resp, nil
}

func (s *Server) CreateOfficial(ctx context.Context, req *planningv1.CreateOfficialRequest) (*planningv1.Official, error) {
	idem, err := idempotency.KeyFor(ctx, app.Errors, req.GetRequestId(), "CreateOfficial", req)
	if err != nil {
		return nil, err
	}
	o, err := s.svc.CreateOfficial(ctx, officialOf(req.GetOfficial()), idem)
	return orNil(o, err, pb.Official)
}

func (s *Server) UpdateOfficial(ctx context.Context, req *planningv1.UpdateOfficialRequest) (*planningv1.Official, error) {
	fields, err := fieldmask.Fields(app.Errors, req.GetUpdateMask(), req.GetOfficial(), domain.OfficialFields)
	if err != nil {
		return nil, err
	}
	in := req.GetOfficial()
	id, err := officialID(in.GetName(), "official.name")
	if err != nil {
		return nil, err
	}
	p := officialOf(in)
	p.ID = id
	o, err := s.svc.UpdateOfficial(ctx, p, fields, in.GetEtag())
	return orNil(o, err, pb.Official)
}

// idempotencyKey is the key of a create request with a request_id (nil without one).
func orNil[T any, P proto.Message](v T, err error, to func(T) P) (P, error) {
	if err != nil {
		var zero P
		return zero, err
	}
	return to(v), nil
}

func mapAll[T any, P proto.Message](rows []T, to func(T) P) []P {
	out := make([]P, len(rows))
	for i, r := range rows {
		out[i] = to(r)
	}
	return out
}

func pageSize(n int32) int {
	if n <= 0 {
		return defaultPageSize
	}
	return int(min(n, defaultPageSize))
}
