package catalog

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
	"github.com/sellercenter/sellercenter/models/vault"
)

const keyPurpose = vault.PurposeMerchantKey

// MinKeyLen is the shortest access key accepted (the marketplace's keys are
// longer; anything shorter is guessable).
const MinKeyLen = 16

// keyAlphabet excludes look-alike characters so a key read aloud survives.
const keyAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"

func randomKey(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	for i := range b {
		b[i] = keyAlphabet[int(b[i])%len(keyAlphabet)]
	}
	return string(b)
}

// KeySecret is a key with its secret, returned once at creation.
type KeySecret struct {
	Key    models.MerchantKey
	Secret string
}

func (s *Service) canManageKeys(actor models.Actor) bool {
	return actor.Can(models.PermEndpointSettings) || actor.IsPlatform()
}

// Keys lists the merchant's keys without secrets, newest first.
func (s *Service) Keys(ctx context.Context, actor models.Actor, merchantID int64) ([]models.MerchantKey, error) {
	if !s.canManageKeys(actor) {
		return nil, models.ErrForbidden
	}
	mid, err := merchantScope(actor, merchantID)
	if err != nil {
		return nil, err
	}
	var ks []models.MerchantKey
	err = s.db.WithContext(ctx).Select("id, merchant_id, label, status, created_at, retire_at, revoked_at").
		Where("merchant_id = ?", mid).Order("id DESC").Find(&ks).Error
	return ks, err
}

// RotateKey makes a new active key (generated, or the given secret when an
// operator imports the key the merchant already uses). The previous active
// key keeps verifying for overlap, then retires.
func (s *Service) RotateKey(ctx context.Context, actor models.Actor, merchantID int64, secret string, overlap time.Duration) (*KeySecret, error) {
	return s.ImportKey(ctx, actor, merchantID, secret, overlap, nil)
}

// ValidateKey checks a key a merchant brings (length, no blanks).
func ValidateKey(secret string) error {
	if len(secret) < MinKeyLen || len(secret) > 128 || strings.ContainsAny(secret, " \t\r\n") {
		v := &models.ValidationError{}
		v.Add("key", models.M("err.key_length", "Min", MinKeyLen, "Max", 128))
		return v
	}
	return nil
}

// ImportKey is RotateKey with what a test call signed with the key
// answered (check, nil for none) on the audit line.
func (s *Service) ImportKey(ctx context.Context, actor models.Actor, merchantID int64, secret string, overlap time.Duration, check map[string]any) (*KeySecret, error) {
	if !s.canManageKeys(actor) {
		return nil, models.ErrForbidden
	}
	mid, err := merchantScope(actor, merchantID)
	if err != nil {
		return nil, err
	}
	if secret == "" {
		secret = randomKey(32)
	}
	if err := ValidateKey(secret); err != nil {
		return nil, err
	}
	if overlap < 0 || overlap > 30*24*time.Hour {
		v := &models.ValidationError{}
		v.Add("overlap", models.M("err.range", "Min", 0, "Max", 720))
		return nil, v
	}
	now := s.now()
	sum := sha256.Sum256([]byte(secret))
	k := models.MerchantKey{MerchantID: mid, Label: "K-" + strings.ToUpper(hex.EncodeToString(sum[:3])),
		SecretEnc: s.vault.Seal([]byte(secret), keyPurpose), Status: models.KeyActive, CreatedAt: now}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Keys show in the audit by fingerprint label only, never by value.
		var replaced []string
		if err := tx.Model(&models.MerchantKey{}).Where("merchant_id = ? AND status = ?", mid, models.KeyActive).
			Pluck("label", &replaced).Error; err != nil {
			return err
		}
		retire := now.Add(overlap)
		upd := map[string]any{"status": models.KeyRetiring, "retire_at": retire}
		if overlap == 0 {
			upd = map[string]any{"status": models.KeyRevoked, "revoked_at": now}
		}
		if err := tx.Model(&models.MerchantKey{}).Where("merchant_id = ? AND status = ?", mid, models.KeyActive).
			Updates(upd).Error; err != nil {
			return err
		}
		if err := tx.Create(&k).Error; err != nil {
			return err
		}
		return audit.Write(tx, now, actor, audit.Event{Action: models.AuditKeyRotated, MerchantID: mid,
			TargetType: "key", TargetID: k.ID, Detail: map[string]any{"label": k.Label, "replaces": strings.Join(replaced, ", "), "overlap_h": overlap.Hours(),
				"test_call": check}})
	})
	if err != nil {
		return nil, err
	}
	return &KeySecret{Key: k, Secret: secret}, nil
}

// RevokeKey ends a key at once. Revoking the active key leaves the merchant
// without a signing key until a new one is made: calls then fail visibly.
// Unconfirmed, a revocation that would succeed changes nothing and is a
// NeedsConfirmError.
func (s *Service) RevokeKey(ctx context.Context, actor models.Actor, merchantID, keyID int64, confirmed bool) error {
	if !s.canManageKeys(actor) {
		return models.ErrForbidden
	}
	mid, err := merchantScope(actor, merchantID)
	if err != nil {
		return err
	}
	now := s.now()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if !confirmed {
			var n int64
			if err := tx.Model(&models.MerchantKey{}).Where("id = ? AND merchant_id = ? AND status <> ?", keyID, mid, models.KeyRevoked).
				Count(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				return models.ErrNotFound
			}
			return &models.NeedsConfirmError{Question: models.M("keys.revoke_confirm")}
		}
		res := tx.Model(&models.MerchantKey{}).Where("id = ? AND merchant_id = ? AND status <> ?", keyID, mid, models.KeyRevoked).
			Updates(map[string]any{"status": models.KeyRevoked, "revoked_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return models.ErrNotFound
		}
		return audit.Write(tx, now, actor, audit.Event{Action: models.AuditKeyRevoked, MerchantID: mid, TargetType: "key", TargetID: keyID})
	})
}

// SigningKeys returns the merchant's active secret and the secrets that may
// still verify answers (active first). For the provisioning core only.
func (s *Service) SigningKeys(ctx context.Context, merchantID int64) (active string, verify []string, err error) {
	var sealed sql.NullString
	if err := s.db.WithContext(ctx).Raw("SELECT "+SigningKeysColumn("?"), merchantID, s.now()).Scan(&sealed).Error; err != nil {
		return "", nil, err
	}
	return s.OpenSigningKeys(sealed.String)
}

// SigningKeysColumn is a scalar subquery selecting, for the merchant whose id
// is the SQL expression merchantID, the keys that sign or verify now: each as
// its status and sealed secret, active first, then retiring ones newest
// first. It takes one argument, the current time, after any in merchantID.
// The provisioning core selects it in the same statement as the call it
// builds, so a rotation or revocation applies from the next attempt without
// a query of its own; OpenSigningKeys reads the value.
func SigningKeysColumn(merchantID string) string {
	return "(SELECT string_agg(k.status || ' ' || k.secret_enc, ' ' ORDER BY CASE k.status WHEN '" + models.KeyActive +
		"' THEN 0 ELSE 1 END, k.id DESC) FROM merchant_keys k WHERE k.merchant_id = " + merchantID +
		" AND (k.status = '" + models.KeyActive + "' OR (k.status = '" + models.KeyRetiring + "' AND k.retire_at > ?)))"
}

// OpenSigningKeys decrypts what SigningKeysColumn selected (sealed secrets
// have no spaces): the active secret, and every secret in verifying order.
func (s *Service) OpenSigningKeys(col string) (active string, verify []string, err error) {
	f := strings.Fields(col)
	if len(f)%2 != 0 {
		return "", nil, fmt.Errorf("signing keys: malformed list")
	}
	for i := 0; i < len(f); i += 2 {
		b, err := s.vault.Open(f[i+1], keyPurpose)
		if err != nil {
			return "", nil, fmt.Errorf("key %d of the merchant: %w", i/2+1, err)
		}
		if f[i] == models.KeyActive {
			active = string(b)
		}
		verify = append(verify, string(b))
	}
	if active == "" {
		return "", verify, errNoKey
	}
	return active, verify, nil
}

var errNoKey = fmt.Errorf("merchant has no active access key")
