package web_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	ms "github.com/sellercenter/sellercenter/models/supervision"
	"github.com/sellercenter/sellercenter/web"
)

// The OpenAPI document is hand-written; these tests hold it to the code.

type openAPIDoc struct {
	OpenAPI string `json:"openapi"`
	Servers []struct {
		URL string `json:"url"`
	} `json:"servers"`
	Security   []map[string][]string                  `json:"security"`
	Paths      map[string]map[string]openAPIOperation `json:"paths"`
	Components struct {
		Schemas         map[string]openAPISchema `json:"schemas"`
		SecuritySchemes map[string]struct {
			Type   string `json:"type"`
			Scheme string `json:"scheme"`
		} `json:"securitySchemes"`
	} `json:"components"`
}

type openAPIOperation struct {
	Security    *[]map[string][]string `json:"security"`
	RequestBody *struct {
		Content map[string]struct {
			Example json.RawMessage `json:"example"`
		} `json:"content"`
	} `json:"requestBody"`
	Parameters []struct {
		Name    string `json:"name"`
		In      string `json:"in"`
		Example string `json:"example"`
	} `json:"parameters"`
	Responses map[string]json.RawMessage `json:"responses"`
}

type openAPISchema struct {
	Ref        string                   `json:"$ref"`
	Type       string                   `json:"type"`
	Required   []string                 `json:"required"`
	Properties map[string]openAPISchema `json:"properties"`
	Items      *openAPISchema           `json:"items"`
	Enum       []string                 `json:"enum"`
	// AdditionalProperties is false or a schema; only a schema admits keys
	// beyond Properties.
	AdditionalProperties json.RawMessage `json:"additionalProperties"`
}

func fetchOpenAPI(t *testing.T, a *apiEnv) (openAPIDoc, []byte) {
	t.Helper()
	r := a.call(http.MethodGet, "/api/v1/openapi.json", nil) // public: no token
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Fatalf("openapi.json: %d %q", r.status, r.header.Get("Content-Type"))
	}
	var doc openAPIDoc
	r.decode(t, &doc)
	return doc, r.body
}

var pathParam = regexp.MustCompile(`\{([^}]+)\}`)

func TestOpenAPIDocumentsExactlyTheRoutedAPI(t *testing.T) {
	a := newAPIEnv(t)
	doc, raw := fetchOpenAPI(t, a)
	if doc.OpenAPI != "3.0.3" || len(doc.Servers) != 1 || doc.Servers[0].URL != "/api/v1" {
		t.Fatalf("header: openapi %q servers %+v", doc.OpenAPI, doc.Servers)
	}
	if s := doc.Components.SecuritySchemes["bearerAuth"]; s.Type != "http" || s.Scheme != "bearer" ||
		len(doc.Security) != 1 || doc.Security[0]["bearerAuth"] == nil {
		t.Fatal("bearer security is not declared for the whole API")
	}

	routed := map[string]bool{}
	for _, r := range web.New(newEnv(t).app, web.Options{Logger: quietLogger()}).Routes() {
		if r.Method != echo.RouteNotFound && strings.HasPrefix(r.Path, "/api/v1/") {
			routed[r.Method+" "+r.Path] = true
		}
	}
	documented := map[string]bool{}
	for p, ops := range doc.Paths {
		for method, op := range ops {
			key := strings.ToUpper(method) + " " + doc.Servers[0].URL + pathParam.ReplaceAllString(p, ":$1")
			documented[key] = true
			if !routed[key] {
				t.Errorf("documented but not routed: %s", key)
			}
			public := op.Security != nil && len(*op.Security) == 0
			if _, ok := op.Responses["401"]; !public && !ok {
				t.Errorf("%s needs a token but documents no 401", key)
			}
			if public && key != "GET /api/v1/openapi.json" {
				t.Errorf("%s is documented as public", key)
			}
			hasSuccess := false
			for code := range op.Responses {
				hasSuccess = hasSuccess || strings.HasPrefix(code, "2")
			}
			if !hasSuccess {
				t.Errorf("%s documents no success answer", key)
			}
		}
	}
	for key := range routed {
		if !documented[key] {
			t.Errorf("routed but not documented: %s", key)
		}
	}
	if len(routed) < 4 {
		t.Fatalf("only %d API routes found: %v", len(routed), routed)
	}

	// Every $ref resolves, so a renamed schema cannot leave a dangling pointer.
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		t.Fatal(err)
	}
	walkRefs(tree, func(ref string) {
		node := tree
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			m, ok := node.(map[string]any)
			if !ok || m[part] == nil {
				t.Errorf("dangling $ref %s", ref)
				return
			}
			node = m[part]
		}
	})

	// The enums are the models' lists, in the same order.
	s := doc.Components.Schemas
	enums := map[string][]string{
		"OrderRequest.orderType":        s["OrderRequest"].Properties["orderType"].Enum,
		"OrderLineRequest.chargingMode": s["OrderLineRequest"].Properties["chargingMode"].Enum,
		"LineStatus":                    s["LineStatus"].Enum,
		"InvoiceStatus":                 s["InvoiceStatus"].Enum,
	}
	var statuses []string
	for _, st := range models.LineStatuses {
		statuses = append(statuses, string(st))
	}
	var invStatuses []string
	for _, st := range models.InvoiceStatuses {
		invStatuses = append(invStatuses, string(st))
	}
	want := map[string][]string{
		"OrderRequest.orderType":        models.OrderTypes,
		"OrderLineRequest.chargingMode": models.ChargingModes,
		"LineStatus":                    statuses,
		"InvoiceStatus":                 invStatuses,
	}
	for k, got := range enums {
		if !slices.Equal(got, want[k]) {
			t.Errorf("%s enum %v, models say %v", k, got, want[k])
		}
	}
}

func walkRefs(n any, f func(string)) {
	switch v := n.(type) {
	case map[string]any:
		for k, c := range v {
			if s, ok := c.(string); ok && k == "$ref" {
				f(s)
			}
			walkRefs(c, f)
		}
	case []any:
		for _, c := range v {
			walkRefs(c, f)
		}
	}
}

// resolve follows a $ref to a component schema.
func (d openAPIDoc) resolve(s openAPISchema) openAPISchema {
	if name, ok := strings.CutPrefix(s.Ref, "#/components/schemas/"); ok {
		return d.Components.Schemas[name]
	}
	return s
}

// conforms checks that a JSON answer has the schema's required keys and no
// undocumented ones, recursively through objects and arrays.
func (d openAPIDoc) conforms(t *testing.T, at string, s openAPISchema, v any) {
	t.Helper()
	s = d.resolve(s)
	switch val := v.(type) {
	case map[string]any:
		for _, r := range s.Required {
			if _, ok := val[r]; !ok {
				t.Errorf("%s: required %q missing", at, r)
			}
		}
		for k, c := range val {
			ps, ok := s.Properties[k]
			if !ok {
				if json.Unmarshal(s.AdditionalProperties, &ps) != nil || ps.Type == "" {
					t.Errorf("%s: %q is not documented", at, k)
					continue
				}
			}
			d.conforms(t, at+"."+k, ps, c)
		}
	case []any:
		if s.Items == nil {
			t.Errorf("%s: array not documented as one", at)
			return
		}
		for _, c := range val {
			d.conforms(t, at+"[]", *s.Items, c)
		}
	case string:
		if len(s.Enum) > 0 && !slices.Contains(s.Enum, val) {
			t.Errorf("%s: %q not in the documented enum %v", at, val, s.Enum)
		}
	}
}

func TestOpenAPIExamplesAreAcceptedByTheHandlers(t *testing.T) {
	a := newAPIEnv(t)
	doc, _ := fetchOpenAPI(t, a)
	schemas := doc.Components.Schemas

	create := doc.Paths["/orders"]["post"]
	example := create.RequestBody.Content["application/json"].Example
	if len(example) == 0 {
		t.Fatal("POST /orders has no example request")
	}
	r := a.authed(http.MethodPost, "/api/v1/orders", string(example))
	if r.status != http.StatusCreated {
		t.Fatalf("the documented example was refused: %d\n%s", r.status, r.body)
	}
	var got any
	r.decode(t, &got)
	doc.conforms(t, "201", openAPISchema{Ref: "#/components/schemas/Order"}, got)
	if r := a.authed(http.MethodPost, "/api/v1/orders", string(example)); r.status != http.StatusOK {
		t.Fatalf("the documented repeat: %d", r.status)
	}

	// The example exercises every documented request field, so a field the
	// handler does not know fails here as an unknown field (400). Fields a
	// NEW order cannot carry are sent on their own and must not be unknown.
	var ex map[string]any
	if err := json.Unmarshal(example, &ex); err != nil {
		t.Fatal(err)
	}
	objects := []struct {
		schema string
		value  map[string]any
	}{
		{"OrderRequest", ex},
		{"Buyer", ex["buyer"].(map[string]any)},
		{"OrderLineRequest", ex["lines"].([]any)[0].(map[string]any)},
	}
	var absent []string
	for _, o := range objects {
		for name := range schemas[o.schema].Properties {
			if _, ok := o.value[name]; !ok {
				absent = append(absent, o.schema+"."+name)
			}
		}
	}
	sort.Strings(absent)
	if !slices.Equal(absent, []string{"OrderLineRequest.instanceId"}) {
		t.Fatalf("documented fields missing from the example: %v", absent)
	}
	line := objects[2].value
	line["instanceId"] = "inst-0001"
	ex["orderId"] = "CS-DOC-2"
	line["orderLineId"] = "CS-DOC-2-1"
	b, _ := json.Marshal(ex)
	e := a.authed(http.MethodPost, "/api/v1/orders", string(b)).apiError(t, http.StatusUnprocessableEntity)
	if _, ok := e.Error.Fields["lines[0].instanceId"]; !ok {
		t.Fatalf("instanceId not understood by the handler: %v", e.Error.Fields)
	}

	// The event example, on the documented instance.
	var orderID string
	_ = json.Unmarshal(mustRaw(t, example, "orderId"), &orderID)
	events := doc.Paths["/instances/{instanceId}/events"]["post"]
	var instanceID string
	for _, p := range events.Parameters {
		if p.Name == "instanceId" {
			instanceID = p.Example
		}
	}
	if instanceID == "" {
		t.Fatal("no example instanceId")
	}
	a.addInstance(orderID, instanceID, models.InstanceNormal)
	r = a.authed(http.MethodPost, "/api/v1/instances/"+instanceID+"/events", string(events.RequestBody.Content["application/json"].Example))
	if r.status != http.StatusAccepted {
		t.Fatalf("the documented event was refused: %d\n%s", r.status, r.body)
	}
	r.decode(t, &got)
	doc.conforms(t, "202", openAPISchema{Ref: "#/components/schemas/EventView"}, got)

	// GET answers the documented shape too, now with an instance.
	r = a.authed(http.MethodGet, "/api/v1/orders/"+orderID, "")
	r.decode(t, &got)
	doc.conforms(t, "GET", openAPISchema{Ref: "#/components/schemas/Order"}, got)
	if !strings.Contains(string(r.body), `"instanceId":"`+instanceID+`"`) {
		t.Fatalf("GET without the instance: %s", r.body)
	}

	// Errors answer the documented error shape.
	r = a.authed(http.MethodPost, "/api/v1/orders", `{"orderId": 1}`)
	r.decode(t, &got)
	doc.conforms(t, "400", openAPISchema{Ref: "#/components/schemas/Error"}, got)
}

func mustRaw(t *testing.T, obj json.RawMessage, key string) json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(obj, &m); err != nil || m[key] == nil {
		t.Fatalf("no %q in %s", key, obj)
	}
	return m[key]
}

// The documented 服务监管 event, documents included, is what the handler
// takes: its example moves a flow (201) and leaves its document on the
// timeline, every documented field is in it, the events are the models'.
func TestOpenAPISupervisionEventExampleCarriesADocument(t *testing.T) {
	a := newAPIEnv(t)
	doc, _ := fetchOpenAPI(t, a)
	op := doc.Paths["/supervision/{orderLineId}/events"]["post"]
	var line string
	for _, p := range op.Parameters {
		if p.Name == "orderLineId" {
			line = p.Example
		}
	}
	orderID, ok := strings.CutSuffix(line, "-1")
	if !ok {
		t.Fatalf("example orderLineId %q", line)
	}
	a.supervisedOrder(orderID)
	example := op.RequestBody.Content["application/json"].Example
	var ex map[string]any
	if err := json.Unmarshal(example, &ex); err != nil {
		t.Fatal(err)
	}
	s := doc.Components.Schemas
	for _, o := range []struct {
		schema string
		value  map[string]any
	}{{"SupervisionEventRequest", ex}, {"SupervisionDocument", ex["documents"].([]any)[0].(map[string]any)}} {
		for name := range s[o.schema].Properties {
			if _, ok := o.value[name]; !ok {
				t.Errorf("%s.%s missing from the example", o.schema, name)
			}
		}
	}
	if !slices.Equal(s["SupervisionEventRequest"].Properties["event"].Enum, ms.BuyerEvents) {
		t.Fatalf("events %v, models say %v", s["SupervisionEventRequest"].Properties["event"].Enum, ms.BuyerEvents)
	}
	r := a.authed(http.MethodPost, "/api/v1/supervision/"+line+"/events", string(example))
	if r.status != http.StatusCreated {
		t.Fatalf("the documented example was refused: %d\n%s", r.status, r.body)
	}
	var got any
	r.decode(t, &got)
	doc.conforms(t, "201", openAPISchema{Ref: "#/components/schemas/SupervisionEventView"}, got)
	name := ex["documents"].([]any)[0].(map[string]any)["name"]
	if a.count("supervision_documents", "file_name = ? AND event_ref IN (SELECT id FROM supervision_events WHERE kind = ?)",
		name, models.SupEvSubmitted) != 1 {
		t.Fatal("the example's document is not on the submission")
	}
	r = a.authed(http.MethodPost, "/api/v1/supervision/"+line+"/events", `{"eventId":"x","event":"submit_requirements",
		"documents":[{"name":"a.txt","contentBase64":"!!"}]}`)
	r.decode(t, &got)
	doc.conforms(t, "422", openAPISchema{Ref: "#/components/schemas/Error"}, got)
}
