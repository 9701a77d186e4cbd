// Completes the merged OpenAPI document with what the generator cannot know: the gateway's
// error body (AIP-193 JSON shape, not a bare google.rpc.Status) and bearer authentication.
import { readFileSync, writeFileSync } from "node:fs";

const [file] = process.argv.slice(2);
const doc = JSON.parse(readFileSync(file, "utf8"));

doc.components ??= {};
doc.components.schemas ??= {};
doc.components.schemas["cityhall.Error"] = {
  type: "object",
  description: "Every error answer: the HTTP status, the canonical status name, a message, and details " +
    "(google.rpc.ErrorInfo with reason and domain; google.rpc.BadRequest naming each invalid field by its proto path).",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "status", "message"],
      properties: {
        code: { type: "integer", description: "HTTP status code", examples: [400] },
        status: { type: "string", description: "canonical code name", examples: ["INVALID_ARGUMENT"] },
        message: { type: "string" },
        details: { type: "array", items: { type: "object", required: ["@type"], properties: { "@type": { type: "string" } }, additionalProperties: true } },
      },
    },
  },
};
doc.components.securitySchemes = {
  bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "OIDC access token" },
};
doc.security = [{ bearer: [] }];

for (const methods of Object.values(doc.paths ?? {})) {
  for (const op of Object.values(methods)) {
    const content = op?.responses?.default?.content?.["application/json"];
    if (content) content.schema = { $ref: "#/components/schemas/cityhall.Error" };
  }
}
if (!JSON.stringify(doc.paths).includes("google.rpc.Status")) delete doc.components.schemas["google.rpc.Status"];
writeFileSync(file, JSON.stringify(doc, null, 2) + "\n");
