package koogallery

import (
	"sync"
	"time"
)

// DefaultNonceCacheSize bounds a NonceCache made by NewVerifier. At the
// marketplace's call rates it is never reached within a TTL.
const DefaultNonceCacheSize = 100_000

// NonceCache remembers V2 nonces for a fixed TTL so a captured request cannot
// be replayed while its timestamp is still fresh. It is safe for concurrent
// use and bounded: when full it forgets the oldest nonce, which is the one
// closest to expiry anyway. Only requests whose signature has been verified
// reach the cache, so an attacker without the key cannot flood it.
type NonceCache struct {
	mu    sync.Mutex
	ttl   time.Duration
	max   int
	seen  map[string]time.Time // nonce → expiry
	queue []nonceEntry         // insertion order; queue[head:] is live
	head  int
}

type nonceEntry struct {
	nonce  string
	expiry time.Time
}

// NewNonceCache makes a cache. With a V2 window w, a ttl of 2w is enough: a
// request accepted at t carries a timestamp ≤ t+w, which stays acceptable
// until t+2w.
func NewNonceCache(ttl time.Duration, max int) *NonceCache {
	if ttl <= 0 {
		ttl = 2 * DefaultV2Window
	}
	if max <= 0 {
		max = DefaultNonceCacheSize
	}
	return &NonceCache{ttl: ttl, max: max, seen: make(map[string]time.Time)}
}

// Use records nonce as seen at now and reports whether it was fresh, i.e.
// not seen within the TTL.
func (c *NonceCache) Use(nonce string, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.expire(now)
	if exp, ok := c.seen[nonce]; ok && now.Before(exp) {
		return false
	}
	for len(c.seen) >= c.max {
		c.popOldest()
	}
	exp := now.Add(c.ttl)
	c.seen[nonce] = exp
	c.queue = append(c.queue, nonceEntry{nonce, exp})
	return true
}

// Len reports how many nonces are remembered.
func (c *NonceCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.seen)
}

func (c *NonceCache) expire(now time.Time) {
	for c.head < len(c.queue) && !now.Before(c.queue[c.head].expiry) {
		c.popOldest()
	}
}

func (c *NonceCache) popOldest() {
	if c.head >= len(c.queue) {
		// Only reachable if the map and queue disagree; resync.
		clear(c.seen)
		c.queue, c.head = c.queue[:0], 0
		return
	}
	e := c.queue[c.head]
	c.queue[c.head] = nonceEntry{}
	c.head++
	// The nonce may have been stored again after expiring; keep that one.
	if exp, ok := c.seen[e.nonce]; ok && exp.Equal(e.expiry) {
		delete(c.seen, e.nonce)
	}
	if c.head > 1024 && c.head*2 > len(c.queue) {
		n := copy(c.queue, c.queue[c.head:])
		clear(c.queue[n:])
		c.queue, c.head = c.queue[:n], 0
	}
}
