// Package apierr builds the canonical errors of the API (AIP-193): a status code, an
// ErrorInfo with an UPPER_SNAKE reason and the service's domain, and for bad input a
// BadRequest naming every offending field. The gateway turns them into HTTP status + JSON.
package apierr

import (
	"errors"

	"buf.build/go/protovalidate"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Domain is the ErrorInfo domain of one service, e.g. "appeals.cityhall".
type Domain string

// FieldViolation names a request field (proto path, e.g. "appeal.classifier_codes[0]") and why it is wrong.
type FieldViolation struct {
	Field       string
	Description string
}

// Error returns a status error with an ErrorInfo.
func (d Domain) Error(code codes.Code, reason, message string, metadata map[string]string) error {
	st, err := status.New(code, message).WithDetails(&errdetails.ErrorInfo{Reason: reason, Domain: string(d), Metadata: metadata})
	if err != nil {
		return status.Error(code, message)
	}
	return st.Err()
}

// Invalid is INVALID_ARGUMENT with an ErrorInfo and a BadRequest listing the violations.
func (d Domain) Invalid(reason, message string, violations ...FieldViolation) error {
	br := &errdetails.BadRequest{}
	for _, v := range violations {
		br.FieldViolations = append(br.FieldViolations, &errdetails.BadRequest_FieldViolation{Field: v.Field, Description: v.Description})
	}
	st, err := status.New(codes.InvalidArgument, message).WithDetails(
		&errdetails.ErrorInfo{Reason: reason, Domain: string(d)}, br)
	if err != nil {
		return status.Error(codes.InvalidArgument, message)
	}
	return st.Err()
}

// NotFound is the answer both for a missing resource and for one the caller may not see,
// so that existence never leaks across departments.
func (d Domain) NotFound(name string) error {
	return d.Error(codes.NotFound, "NOT_FOUND", name+" not found", map[string]string{"resource": name})
}

// Unavailable says a dependency (database, broker) cannot be reached right now; retry later.
func (d Domain) Unavailable(what string) error {
	return d.Error(codes.Unavailable, "UNAVAILABLE", what+" is unavailable, retry later", nil)
}

// FromValidation turns a protovalidate error into INVALID_ARGUMENT with field violations.
// It returns nil when err is not a validation error.
func FromValidation(d Domain, err error) error {
	var ve *protovalidate.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	vs := make([]FieldViolation, 0, len(ve.Violations))
	for _, v := range ve.Violations {
		field := protovalidate.FieldPathString(v.Proto.GetField())
		if field == "" {
			// A message-level rule; name the message's rule id so the client can still tell.
			field = v.Proto.GetRuleId()
		}
		vs = append(vs, FieldViolation{Field: field, Description: v.Proto.GetMessage()})
	}
	return d.Invalid("INVALID_ARGUMENT", "the request has invalid fields", vs...)
}
