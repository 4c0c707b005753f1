package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/sellercenter/sellercenter/models/db"
	"github.com/sellercenter/sellercenter/models/vault"
)

// masterKey returns the key that encrypts secrets at rest: from
// SELLERCENTER_MASTER_KEY, else from the file beside the database, created on
// first use. Losing it makes stored keys and credentials unreadable.
func masterKey(dbPath string, stderr io.Writer) (*vault.Vault, error) {
	if s := os.Getenv("SELLERCENTER_MASTER_KEY"); s != "" {
		k, err := vault.ParseKey(s)
		if err != nil {
			return nil, fmt.Errorf("SELLERCENTER_MASTER_KEY: %w", err)
		}
		return vault.New(k)
	}
	if db.EngineOf(dbPath) == db.PostgreSQL {
		// Every instance must hold the same key, and no file sits beside a
		// database server: the operator provides it.
		return nil, errors.New("on PostgreSQL set SELLERCENTER_MASTER_KEY, the same on every instance (moving from SQLite: the content of sellercenter.db.key)")
	}
	path := dbPath + ".key"
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		s := vault.NewKey()
		if err := os.WriteFile(path, []byte(s+"\n"), 0o600); err != nil {
			return nil, fmt.Errorf("create master key %s: %w", path, err)
		}
		fmt.Fprintf(stderr, "sellercenter: created master key %s (keep it with backups, or set SELLERCENTER_MASTER_KEY)\n", path)
		b = []byte(s)
	} else if err != nil {
		return nil, fmt.Errorf("read master key %s: %w", path, err)
	}
	k, err := vault.ParseKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("master key %s: %w", path, err)
	}
	return vault.New(k)
}
