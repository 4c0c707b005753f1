package catalog

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
)

const tokenPrefix = "sct_"

func tokenHash(t string) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
}

// IssueToken creates a bearer token for a marketplace integration; only its
// hash is stored, so the returned token is shown once.
func (s *Service) IssueToken(ctx context.Context, actor models.Actor, name string) (string, *models.APIToken, error) {
	if !actor.IsPlatform() {
		return "", nil, models.ErrForbidden
	}
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 100 {
		v := &models.ValidationError{}
		v.Add("name", models.M("err.required"))
		return "", nil, v
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	tok := tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	now := s.now()
	t := &models.APIToken{Name: name, TokenHash: tokenHash(tok), CreatedAt: now}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(t).Error; err != nil {
			return err
		}
		return audit.Write(tx, now, actor, audit.Event{Action: models.AuditTokenIssued, TargetType: "api_token", TargetID: t.ID,
			Detail: map[string]any{"name": name}})
	})
	if err != nil {
		return "", nil, err
	}
	return tok, t, nil
}

// AuthenticateToken returns the live token a bearer value belongs to.
func (s *Service) AuthenticateToken(ctx context.Context, bearer string) (*models.APIToken, error) {
	if !strings.HasPrefix(bearer, tokenPrefix) || len(bearer) > 100 {
		return nil, models.ErrNotFound
	}
	var t models.APIToken
	if err := s.db.WithContext(ctx).Where("token_hash = ? AND revoked_at IS NULL", tokenHash(bearer)).First(&t).Error; err != nil {
		return nil, notFound(err)
	}
	return &t, nil
}
