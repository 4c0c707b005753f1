package koogallery

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestResultCodeMeanings(t *testing.T) {
	codes := ResultCodes()
	want := []string{"000000", "000001", "000002", "000003", "000004", "000005",
		"000100", "000101", "000102", "000103", "000104", "000105", "000106", "000107",
		"000900", "000901", "000902", "000903"}
	if len(codes) != len(want) {
		t.Fatalf("%d codes, want %d", len(codes), len(want))
	}
	for i, c := range codes {
		if string(c) != want[i] {
			t.Errorf("code %d is %s, want %s", i, c, want[i])
		}
		zh, en := c.Meaning()
		if zh == "" || en == "" || !c.Known() || strings.Contains(en, "unknown") {
			t.Errorf("%s: %q / %q", c, zh, en)
		}
	}
	if zh, en, known := ResultCodeMeaning("000003"); zh != "实例ID不存在" || en != "instance ID does not exist" || !known {
		t.Errorf("000003: %s / %s", zh, en)
	}
	if _, _, known := ResultCodeMeaning("999999"); known {
		t.Error("999999 reported as known")
	}
}

func TestTimeParsingRejects(t *testing.T) {
	for _, s := range []string{"", "2024010108000", "202401010800001", "2024010108000012x", "20241301080000", "20240101250000"} {
		if _, err := ParseTime(s); !errors.Is(err, ErrBadTime) {
			t.Errorf("ParseTime(%q): %v", s, err)
		}
	}
	for _, s := range []string{"", "-1", "1e12", "12345678901234567", " 1"} {
		if _, err := ParseUnixTimestamp(s); !errors.Is(err, ErrBadTimestamp) {
			t.Errorf("ParseUnixTimestamp(%q): %v", s, err)
		}
	}
	if got := FormatTimeStamp(time.Date(2024, 2, 3, 4, 5, 6, 7e6, time.FixedZone("CST", 8*3600))); got != "20240202200506007" {
		t.Errorf("FormatTimeStamp converts to UTC: %s", got)
	}
}

func TestCompareJavaOrder(t *testing.T) {
	// In UTF-8 byte order U+FF5E (EF BD 9E) precedes U+1F600 (F0 9F 98 80);
	// Java compares UTF-16 units, where U+1F600 is D83D DE00 and comes first.
	names := []string{"～", "😀", "b", "a", "ab", "B"}
	slices.SortFunc(names, compareJava)
	want := []string{"B", "a", "ab", "b", "😀", "～"}
	if !slices.Equal(names, want) {
		t.Errorf("order %q, want %q", names, want)
	}
	v := url.Values{"😀": {"1"}, "～": {"2"}}
	if got := V1CanonicalString(v); got != "😀=1&～=2" {
		t.Errorf("canonical %s", got)
	}
}

func TestV1TokenMissingTimestamp(t *testing.T) {
	if _, err := V1Token(testKey, url.Values{"activity": {"x"}}); !errors.Is(err, ErrMissingTimestamp) {
		t.Error(err)
	}
	if err := VerifyV1Token("", url.Values{}, "x"); !errors.Is(err, ErrEmptyKey) {
		t.Error(err)
	}
}

func TestFlattenV1Body(t *testing.T) {
	fields, err := ParseJSONBody([]byte(`{"s":"a b","n":12.50,"b":true,"z":null,"o":{"k": [1, 2]},"authToken":"x"}`))
	if err != nil {
		t.Fatal(err)
	}
	got := V1CanonicalString(FlattenV1Body(fields))
	if want := `b=true&n=12.50&o={"k":[1,2]}&s=a b`; got != want {
		t.Errorf("flattened %s, want %s", got, want)
	}
}

func TestDecodeExtendParams(t *testing.T) {
	// The §4.1 example, Base64-encoded; a '+'-free and a space-corrupted form.
	enc := "W3sibmFtZSI6ImlkTnVtIiwidmFsdWUiOiIzNTIyNTU1NTU1NTU2NTYifSx7Im5hbWUiOiJ1c2VyTmFtZSIsInZhbHVlIjoiaHVhd2VpMTIzIn0seyJuYW1lIjoiY3VzdEVtYWlsIiwidmFsdWUiOiIxMjNAaHVhd2VpLmNvbSJ9XQ=="
	got, err := DecodeExtendParams(enc)
	if err != nil || len(got) != 3 || got[1] != (NameValue{"userName", "huawei123"}) {
		t.Errorf("%+v, %v", got, err)
	}
	if _, err := DecodeExtendParams(strings.TrimRight(enc, "=")); err != nil {
		t.Errorf("unpadded: %v", err)
	}
	if _, err := DecodeExtendParams("!!"); !errors.Is(err, ErrBadBase64) {
		t.Errorf("garbage: %v", err)
	}
}

func TestQueryInstanceIDs(t *testing.T) {
	r := &QueryInstanceRequest{InstanceID: "a, b,,c "}
	if got := r.InstanceIDs(); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("%q", got)
	}
}

func TestActivitySupport(t *testing.T) {
	for _, tc := range []struct {
		a  Activity
		v  Version
		ok bool
	}{
		{ActivityUpgrade, V1, true}, {ActivityUpgrade, V2, false}, {ActivityUpgradeInstance, V2, true},
		{ActivityExpireInstance, V1Post, true}, {ActivityOrderNotify, V1, false}, {ActivityOrderNotify, V2, true},
		{"nope", V2, false},
	} {
		if got := tc.a.SupportedIn(tc.v); got != tc.ok {
			t.Errorf("%s in %s: %v", tc.a, tc.v, got)
		}
	}
}

func TestClientValidationNamesFields(t *testing.T) {
	c := &Client{}
	_, err := c.Call(t.Context(), Endpoint{URL: "http://127.0.0.1:1", Key: testKey, Version: V2},
		&RefreshInstanceRequest{InstanceID: strings.Repeat("i", 65), Scene: "X", TrialToFormal: "1"})
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("%v", err)
	}
	want := []string{"scene", "orderId", "orderLineId", "instanceId", "expireTime", "trialToFormal"}
	if !slices.Equal(ve.FieldNames(), want) {
		t.Errorf("fields %v, want %v", ve.FieldNames(), want)
	}
	for _, bad := range []Endpoint{
		{URL: "ftp://x", Key: testKey, Version: V2},
		{URL: "http://x", Key: "", Version: V2},
		{URL: "http://x", Key: testKey, Version: "v3"},
	} {
		out, err := c.Call(t.Context(), bad, &ReleaseInstanceRequest{InstanceID: "i"})
		if out.Class != ClassInvalidRequest || err == nil {
			t.Errorf("%+v: %s %v", bad, out.Class, err)
		}
	}
}
