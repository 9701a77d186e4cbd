// Package openapi embeds the merged OpenAPI 3.1 document of all Cityhall services so the
// gateway can serve it. scripts/gen-proto.sh copies it here from proto/gen/openapi.
package openapi

import _ "embed"

// JSON is cityhall.openapi.json: one OpenAPI 3.1 document for every service.
//
//go:embed cityhall.openapi.json
var JSON []byte
