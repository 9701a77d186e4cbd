package gateway

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/anypb"
)

// The error body follows Google's JSON error shape (AIP-193):
//
//	{"error": {"code": 400, "status": "INVALID_ARGUMENT", "message": "...", "details": [...]}}
type errorBody struct {
	Error errorPayload `json:"error"`
}

type errorPayload struct {
	Code    int               `json:"code"`
	Status  string            `json:"status"`
	Message string            `json:"message"`
	Details []json.RawMessage `json:"details,omitempty"`
}

func errorHandler(_ context.Context, _ *runtime.ServeMux, _ runtime.Marshaler, w http.ResponseWriter, r *http.Request, err error) {
	st := status.Convert(err)
	if st.Code() == codes.InvalidArgument && len(st.Details()) == 0 {
		// The gateway itself rejected the request (malformed JSON, a query parameter of the
		// wrong type): name the part of the request that is wrong, as the services do.
		field, what := "query", "a query parameter is malformed: "
		if r.ContentLength != 0 || r.Method == http.MethodPost || r.Method == http.MethodPatch {
			field, what = "body", "the request body is not valid JSON for this method: "
		}
		st = withViolation(status.New(codes.InvalidArgument, what+st.Message()), field, st.Message())
	}
	writeStatus(w, st)
}

func routingErrorHandler(ctx context.Context, mux *runtime.ServeMux, m runtime.Marshaler, w http.ResponseWriter, r *http.Request, httpStatus int) {
	switch httpStatus {
	case http.StatusMethodNotAllowed:
		writeStatus(w, status.New(codes.Unimplemented, "method not allowed on this path"))
	default:
		writeStatus(w, status.New(codes.NotFound, "no such API path: "+r.URL.Path))
	}
}

func withViolation(st *status.Status, field, description string) *status.Status {
	with, err := status.New(st.Code(), st.Message()).WithDetails(
		&errdetails.ErrorInfo{Reason: "INVALID_REQUEST", Domain: "gateway.cityhall"},
		&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: field, Description: description}}},
	)
	if err != nil {
		return st
	}
	return with
}

func writeStatus(w http.ResponseWriter, st *status.Status) {
	httpStatus := runtime.HTTPStatusFromCode(st.Code())
	body := errorBody{Error: errorPayload{Code: httpStatus, Status: codeName(st.Code()), Message: st.Message()}}
	for _, d := range st.Proto().GetDetails() {
		if raw, err := marshalAny(d); err == nil {
			body.Error.Details = append(body.Error.Details, raw)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	if st.Code() == codes.Unauthenticated {
		w.Header().Set("WWW-Authenticate", `Bearer realm="cityhall"`)
	}
	w.WriteHeader(httpStatus)
	_ = json.NewEncoder(w).Encode(body)
}

func marshalAny(a *anypb.Any) (json.RawMessage, error) {
	b, err := protojson.Marshal(a)
	return json.RawMessage(b), err
}

// codeName is the canonical UPPER_SNAKE name of a code, e.g. INVALID_ARGUMENT.
func codeName(c codes.Code) string {
	return codeNames[c]
}

var codeNames = map[codes.Code]string{
	codes.OK: "OK", codes.Canceled: "CANCELLED", codes.Unknown: "UNKNOWN", codes.InvalidArgument: "INVALID_ARGUMENT",
	codes.DeadlineExceeded: "DEADLINE_EXCEEDED", codes.NotFound: "NOT_FOUND", codes.AlreadyExists: "ALREADY_EXISTS",
	codes.PermissionDenied: "PERMISSION_DENIED", codes.ResourceExhausted: "RESOURCE_EXHAUSTED",
	codes.FailedPrecondition: "FAILED_PRECONDITION", codes.Aborted: "ABORTED", codes.OutOfRange: "OUT_OF_RANGE",
	codes.Unimplemented: "UNIMPLEMENTED", codes.Internal: "INTERNAL", codes.Unavailable: "UNAVAILABLE",
	codes.DataLoss: "DATA_LOSS", codes.Unauthenticated: "UNAUTHENTICATED",
}
