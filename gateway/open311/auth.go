package open311

import (
	"context"
	"crypto/sha1" // UUIDv5 is defined with SHA-1 (RFC 9562): an identifier, not a signature
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// credentials finds the caller's OIDC access token: the Authorization: Bearer header, else the
// spec's api_key parameter when it is a JWT. Without one it answers 403 (the spec's status for
// a missing or invalid api_key) and returns "". The token is verified by the appeals service,
// not here: an invalid one comes back UNAUTHENTICATED and is answered 403 as well.
func credentials(w http.ResponseWriter, r *http.Request, apiKey string) string {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			writeError(w, http.StatusForbidden, "the Authorization header must be \"Bearer <access token>\"")
			return ""
		}
		return strings.TrimSpace(token)
	}
	switch {
	case apiKey == "":
		writeError(w, http.StatusForbidden, "api_key missing: send the integrator's OIDC access token as api_key or as an Authorization: Bearer header")
		return ""
	case !looksLikeJWT(apiKey):
		writeError(w, http.StatusForbidden, "invalid api_key: it must be the integrator's OIDC access token (a JWT)")
		return ""
	}
	return apiKey
}

// looksLikeJWT: three base64url parts, the first a JSON object (the JOSE header).
func looksLikeJWT(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 3 || parts[1] == "" || parts[2] == "" {
		return false
	}
	var header map[string]any
	raw, err := base64.RawURLEncoding.DecodeString(parts[0])
	return err == nil && json.Unmarshal(raw, &header) == nil && header["alg"] != nil
}

// subject is the token's "sub" claim, read without verifying the signature: it only scopes
// the idempotency key, and a token the appeals service rejects registers nothing.
func subject(token string) string {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return ""
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var claims struct {
		Sub string `json:"sub"`
	}
	if json.Unmarshal(raw, &claims) != nil {
		return ""
	}
	return claims.Sub
}

// outgoing carries the caller's token to the appeals service, as grpc-gateway does for /v1.
func outgoing(ctx context.Context, token string) context.Context {
	return metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token)
}

// requestNamespace is the UUIDv5 namespace of Open311 request ids (a fixed random UUID).
var requestNamespace = [16]byte{0x4d, 0x68, 0x8f, 0xf6, 0x55, 0x74, 0x46, 0xf5, 0xa0, 0x53, 0x19, 0xff, 0x8b, 0x11, 0x09, 0xdd}

// uuidV5 is the name-based UUID of RFC 9562 §5.5.
func uuidV5(ns [16]byte, name []byte) string {
	h := sha1.New()
	h.Write(ns[:])
	h.Write(name)
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// fieldNames translates the appeals API's field paths into the Open311 parameters they came from.
var fieldNames = []struct{ proto, param string }{
	{"appeal.text", "description"},
	{"appeal.classifier_codes", "service_code"},
	{"appeal.district", "attribute[district]"},
	{"appeal.department", "service_code"}, // the department is derived from the service and district
	{"applicant.full_name", "first_name/last_name"},
	{"applicant.email", "email"},
	{"applicant.phone", "phone"},
	{"request_id", "device_id/account_id"},
}

func paramOf(field string) string {
	for _, f := range fieldNames {
		if field == f.proto || strings.HasPrefix(field, f.proto+"[") {
			return f.param
		}
	}
	return field
}

// backendError answers a failed appeals call in the spec's format. The HTTP status follows
// the gRPC code as on /v1 (AIP-193), except that a missing or rejected token is the spec's 403.
// Bad input names the Open311 parameters; server-side failures say nothing of their cause
// and are logged with the method and code only.
func (h *handler) backendError(ctx context.Context, w http.ResponseWriter, method string, err error) {
	st := status.Convert(err)
	var httpStatus int
	switch st.Code() {
	case codes.InvalidArgument, codes.FailedPrecondition, codes.OutOfRange:
		httpStatus = http.StatusBadRequest
	case codes.Unauthenticated, codes.PermissionDenied:
		httpStatus = http.StatusForbidden
	case codes.NotFound:
		httpStatus = http.StatusNotFound
	case codes.AlreadyExists, codes.Aborted:
		httpStatus = http.StatusConflict
	case codes.ResourceExhausted:
		httpStatus = http.StatusTooManyRequests
	case codes.Unavailable:
		httpStatus = http.StatusServiceUnavailable
	case codes.DeadlineExceeded, codes.Canceled:
		httpStatus = http.StatusGatewayTimeout
	default:
		httpStatus = http.StatusInternalServerError
	}
	if httpStatus >= 500 {
		h.log.WarnContext(ctx, "open311: appeals call failed", "method", method, "code", st.Code().String())
		msg := "the appeals service is unavailable, retry later"
		if httpStatus == http.StatusInternalServerError {
			msg = "internal error"
		}
		writeError(w, httpStatus, msg)
		return
	}
	var descriptions []string
	for _, d := range st.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, v := range br.GetFieldViolations() {
				descriptions = append(descriptions, paramOf(v.GetField())+": "+v.GetDescription())
			}
		}
	}
	if len(descriptions) == 0 {
		descriptions = []string{st.Message()}
	}
	writeError(w, httpStatus, descriptions...)
}
