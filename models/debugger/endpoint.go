package debugger

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/catalog"
	"github.com/sellercenter/sellercenter/web/koogallery"
)

// EndpointSave is what saving the 生产系统接口地址 did: the test call's
// answer (nil when the address, protocol and encryption did not change, so
// no call was made) and whether the endpoint was saved.
type EndpointSave struct {
	Check *Result
	// NoKey: the merchant has no active key, so no call could be signed.
	NoKey bool
	Saved bool
}

// Passed reports whether the test call answered as a working interface.
func (e *EndpointSave) Passed() bool { return e.Check != nil && passed(e.Check) }

// passed: a V2 create may answer 000004 (processing): the interface works.
func passed(r *Result) bool {
	return r.OK() || (r.Class == string(koogallery.ClassBusinessCode) && r.ResultCode == string(koogallery.ResultProcessing))
}

// SaveEndpoint saves the actor's merchant's endpoint after a test call
// (newInstance, testFlag=1, signed with the merchant's active key) to the
// new address: a changed address, protocol or encryption is saved at once
// only when the call passes; otherwise nothing is saved and the answer is
// returned, until the same form comes back confirmed. The call is made
// before, and outside, the saving transaction; the audit line of the
// change carries the old and new values and what the call answered.
func (s *Service) SaveEndpoint(ctx context.Context, actor models.Actor, in catalog.EndpointInput, confirmed bool) (*EndpointSave, error) {
	if !actor.Can(models.PermEndpointSettings) || actor.MerchantID == 0 {
		return nil, models.ErrForbidden
	}
	mid := actor.MerchantID
	if err := s.catalog.ValidateEndpoint(ctx, &in); err != nil {
		return nil, err
	}
	cur, err := s.catalog.Endpoint(ctx, actor, 0)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return nil, err
	}
	out := &EndpointSave{}
	if !in.SameTarget(cur) {
		key, _, kerr := s.catalog.SigningKeys(ctx, mid)
		if kerr != nil || key == "" {
			out.NoKey = true
			in.Check = map[string]any{"outcome": "no_key"}
		} else {
			product, err := s.anyProductCode(ctx, mid)
			if err != nil {
				return nil, err
			}
			out.Check = s.probe(ctx, &models.Endpoint{MerchantID: mid, URL: in.URL, Protocol: in.Protocol,
				EncryptType: in.EncryptType, TimeoutMS: in.TimeoutMS}, key, product)
			in.Check = map[string]any{"class": out.Check.Class, "result_code": out.Check.ResultCode,
				"latency_ms": out.Check.LatencyMS}
		}
		if !out.Passed() {
			if !confirmed {
				return out, nil
			}
			in.Check["saved_after_failure"] = true
		}
	}
	if _, err := s.catalog.SetEndpoint(ctx, actor, 0, in); err != nil {
		return nil, err
	}
	out.Saved = true
	return out, nil
}

// probe sends the test call of an endpoint not saved yet.
func (s *Service) probe(ctx context.Context, ep *models.Endpoint, key, productID string) *Result {
	tgt := &target{endpoint: ep, version: versionOf(ep.Protocol), key: key}
	req, err := prepare(tgt.version, koogallery.ActivityNewInstance, nil, productID, s.now())
	if err != nil {
		return &Result{At: s.now(), Protocol: ep.Protocol, Class: string(koogallery.ClassInvalidRequest), ErrorDetail: err.Error()}
	}
	return s.call(ctx, tgt, req)
}

// testProductID names the product of a V1 test create for a merchant with
// no product yet (V1 requires one); the call is a test call either way.
const testProductID = "00000-000000-0--0"

// anyProductCode is the productId a V1 test create names: the merchant's
// first product's.
func (s *Service) anyProductCode(ctx context.Context, mid int64) (string, error) {
	var codes []string
	if err := s.db.WithContext(ctx).Model(&models.ProductDialState{}).Where("merchant_id = ?", mid).
		Order("id").Limit(1).Pluck("product_id", &codes).Error; err != nil {
		return "", err
	}
	if len(codes) == 0 {
		return testProductID, nil
	}
	return codes[0], nil
}

// MaskSecrets hides signatures, tokens and the key itself in a text shown
// to people: the key by value (a test call signs with a key not yet saved),
// the rest as the message log masks them.
func MaskSecrets(text, key string) string {
	if key != "" {
		text = strings.ReplaceAll(text, key, koogallery.Mask)
	}
	return models.MaskSecrets(text)
}

// KeyImport is what importing a key did, as EndpointSave.
type KeyImport struct {
	Check *Result
	// NoEndpoint: no endpoint is saved yet, so no call could be made.
	NoEndpoint bool
	Saved      bool
	Label      string
}

// Passed reports whether the test call answered as a working interface.
func (k *KeyImport) Passed() bool { return k.Check != nil && passed(k.Check) }

// ImportKey makes a key the merchant already uses (pasted in) the active
// one, after a test call signed with it to the saved endpoint: saved at once
// when the call passes, otherwise only confirmed, as SaveEndpoint. The old
// active key retires after overlap.
func (s *Service) ImportKey(ctx context.Context, actor models.Actor, secret string, overlap time.Duration, confirmed bool) (*KeyImport, error) {
	if !actor.Can(models.PermEndpointSettings) || actor.MerchantID == 0 {
		return nil, models.ErrForbidden
	}
	mid := actor.MerchantID
	if err := catalog.ValidateKey(secret); err != nil {
		return nil, err
	}
	out := &KeyImport{}
	var check map[string]any
	ep, err := s.catalog.Endpoint(ctx, actor, 0)
	switch {
	case errors.Is(err, models.ErrNotFound):
		out.NoEndpoint = true
		check = map[string]any{"outcome": "no_endpoint"}
	case err != nil:
		return nil, err
	default:
		product, err := s.anyProductCode(ctx, mid)
		if err != nil {
			return nil, err
		}
		out.Check = s.probe(ctx, ep, secret, product)
		check = map[string]any{"class": out.Check.Class, "result_code": out.Check.ResultCode, "latency_ms": out.Check.LatencyMS}
	}
	if !out.Passed() {
		if !confirmed {
			return out, nil
		}
		check["saved_after_failure"] = true
	}
	ks, err := s.catalog.ImportKey(ctx, actor, 0, secret, overlap, check)
	if err != nil {
		return nil, err
	}
	out.Saved, out.Label = true, ks.Key.Label
	return out, nil
}
