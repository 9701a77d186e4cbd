// Package listing reads the parameters of List methods: the filter (a subset of AIP-160) and
// opaque page tokens for keyset pagination (AIP-158).
package listing

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/cityhall-khv/cityhall/services/platform/apierr"
)

// Condition is one `field op value` of a filter.
type Condition struct {
	Field string
	Op    string // =, <, <=, >, >=
	Value string // unquoted
}

var (
	conditionRE = regexp.MustCompile(`^\s*([a-z_]+)\s*(>=|<=|=|<|>)\s*(?:"([^"]*)"|([^\s"]+))\s*$`)
	andRE       = regexp.MustCompile(`\s+AND\s+`)
)

// ParseFilter splits a filter into its conditions: `field op value` joined by AND, the value
// bare or in double quotes. An empty filter has no conditions.
func ParseFilter(d apierr.Domain, filter string) ([]Condition, error) {
	filter = strings.TrimSpace(filter)
	if filter == "" {
		return nil, nil
	}
	var out []Condition
	for _, cond := range andRE.Split(filter, -1) {
		m := conditionRE.FindStringSubmatch(cond)
		if m == nil {
			return nil, BadFilter(d, "cannot read %q; write field = value joined by AND", cond)
		}
		out = append(out, Condition{Field: m[1], Op: m[2], Value: m[3] + m[4]})
	}
	return out, nil
}

// BadFilter is INVALID_ARGUMENT naming the filter field.
func BadFilter(d apierr.Domain, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return d.Invalid("INVALID_FILTER", "invalid filter: "+msg, apierr.FieldViolation{Field: "filter", Description: msg})
}

// Fingerprint identifies the query a page token belongs to (method, filter, order ...).
func Fingerprint(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return base64.RawURLEncoding.EncodeToString(sum[:8])
}

type pageToken struct {
	K []string `json:"k"` // sort keys of the last row served
	Q string   `json:"q"` // fingerprint of its query
}

// EncodeToken makes the next page token from the last row's sort keys.
func EncodeToken(fingerprint string, keys ...string) string {
	b, _ := json.Marshal(pageToken{K: keys, Q: fingerprint})
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeToken returns the n sort keys of a page token made for the same query, or
// INVALID_ARGUMENT naming page_token, so a token cannot be replayed against another filter.
func DecodeToken(d apierr.Domain, token, fingerprint string, n int) ([]string, error) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	var t pageToken
	if err != nil || json.Unmarshal(b, &t) != nil || t.Q != fingerprint || len(t.K) != n {
		return nil, BadPageToken(d)
	}
	return t.K, nil
}

// BadPageToken is INVALID_ARGUMENT naming page_token (also for a token whose keys do not parse).
func BadPageToken(d apierr.Domain) error {
	return d.Invalid("INVALID_PAGE_TOKEN", "invalid page_token", apierr.FieldViolation{
		Field: "page_token", Description: "not a token from a previous response with the same filter and order_by"})
}
