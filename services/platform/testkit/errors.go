package testkit

import (
	"context"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// WithToken returns a context carrying a bearer token.
func WithToken(token string) context.Context {
	return metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+token)
}

// ExpectViolation fails unless err is INVALID_ARGUMENT with a BadRequest naming field.
func ExpectViolation(t testing.TB, err error, field string) {
	t.Helper()
	if status.Code(err) != codes.InvalidArgument {
		t.Fatalf("want InvalidArgument naming %s, got %v", field, err)
	}
	for _, d := range status.Convert(err).Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, v := range br.GetFieldViolations() {
				if v.GetField() == field {
					return
				}
			}
			t.Fatalf("violations %v do not name %s", br.GetFieldViolations(), field)
		}
	}
	t.Fatalf("no BadRequest detail in %v", err)
}

// Reason is the ErrorInfo reason of err, or "".
func Reason(err error) string {
	for _, d := range status.Convert(err).Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok {
			return info.GetReason()
		}
	}
	return ""
}
