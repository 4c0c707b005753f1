// Package web is the HTTP side: echo server, middleware, routes and handlers.
// Handlers parse the request, call one service method and render; rules and
// queries live in models/.
//
// New(app, Options) builds the server on an app.App (models/app); routes.go
// is the one route table, registering each page route from views/paths. Every
// route is guarded by exactly one permission of models/permissions.go. The
// demo's seller endpoints are a sandbox.Fleet started by DemoSandboxes.
//
// # Intake API
//
// /api/v1 (api.go), JSON, Authorization: Bearer <token>. The OpenAPI 3
// document is served at /api/v1/openapi.json; a test checks it against the
// routes and sends its examples to the real handlers. A new order → 201; the
// same orderId again → 200, nothing new; the same id with other content →
// 409. Malformed JSON, unknown fields, wrong types → 400 naming the field;
// rule violations → 422 with fields (e.g. lines[0].amount), in English unless
// Accept-Language prefers Chinese. Amounts are decimal strings with at most
// two decimals (stored as integer fen/cents); only a renewal cancellation may
// be negative; periods are 1–60 months or 1–5 years.
//
//	TOKEN=$(go run ./cmd/sellercenter token issue --name marketplace)
//	curl -s -H "Authorization: Bearer $TOKEN" -d '{"orderId":"ORD-1","orderType":"NEW",
//	  "createTime":"2026-11-23T08:00:00Z","buyer":{"customerId":"c-1","customerName":"张三"},
//	  "lines":[{"orderLineId":"ORD-1-1","productId":"00301-100001-0--0","chargingMode":"PERIOD",
//	  "periodType":"month","periodNumber":1,"amount":"99.00"}]}' localhost:8080/api/v1/orders
//	curl -s -H "Authorization: Bearer $TOKEN" localhost:8080/api/v1/orders/ORD-1
//	curl -s -H "Authorization: Bearer $TOKEN" -d '{"event":"freeze"}' \
//	  localhost:8080/api/v1/instances/<instanceId>/events
//	curl -s -H "Authorization: Bearer $TOKEN" -d '{"ticketId":"TK-1","productId":"00301-100001-0--0",
//	  "customerId":"c-1","customerName":"张三","title":"无法登录","content":"登录时提示密码错误"}' \
//	  localhost:8080/api/v1/tickets
//	curl -s -H "Authorization: Bearer $TOKEN" localhost:8080/api/v1/tickets/TK-1
//
// # Security headers
//
// A CSP without inline script or style, X-Frame-Options: DENY, nosniff,
// Referrer-Policy: same-origin, HSTS over TLS. The client address comes from
// X-Forwarded-For only with SELLERCENTER_TRUST_PROXY. Sessions, CSRF and
// login throttling: see models/accounts.
//
// # Ops endpoints
//
//   - GET /healthz → 200 {"status":"ok"} once migrations ran and the database
//     answers; 503 otherwise.
//   - GET /metrics → Prometheus: sellercenter_http_requests_total{method,
//     route,status}, sellercenter_http_request_duration_seconds{method,route}
//     (labelled by route pattern, so cardinality stays bounded) and the Go
//     runtime and process collectors.
package web
