package koogallery

import (
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestNonceCacheExpiry(t *testing.T) {
	c := NewNonceCache(2*time.Minute, 10)
	t0 := testNow
	if !c.Use("a", t0) {
		t.Fatal("first use")
	}
	if c.Use("a", t0.Add(119*time.Second)) {
		t.Fatal("replay inside the TTL accepted")
	}
	if !c.Use("a", t0.Add(121*time.Second)) {
		t.Fatal("nonce not forgotten after the TTL")
	}
	if c.Use("a", t0.Add(200*time.Second)) {
		t.Fatal("re-stored nonce forgotten too early")
	}
}

func TestNonceCacheBounded(t *testing.T) {
	c := NewNonceCache(time.Hour, 100)
	for i := 0; i < 10_000; i++ {
		c.Use(strconv.Itoa(i), testNow.Add(time.Duration(i)*time.Millisecond))
	}
	if n := c.Len(); n != 100 {
		t.Fatalf("Len %d, want 100", n)
	}
	if len(c.queue)-c.head > 200 || cap(c.queue) > 4096 {
		t.Errorf("queue grew: len %d head %d cap %d", len(c.queue), c.head, cap(c.queue))
	}
	// The newest are kept, the oldest forgotten.
	if c.Use("9999", testNow.Add(10*time.Second)) {
		t.Error("newest nonce forgotten")
	}
	if !c.Use("0", testNow.Add(10*time.Second)) {
		t.Error("oldest nonce kept beyond the bound")
	}
}

func TestNonceCacheConcurrent(t *testing.T) {
	c := NewNonceCache(time.Minute, 1000)
	var fresh atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				if c.Use(strconv.Itoa(i), testNow) {
					fresh.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if fresh.Load() != 500 {
		t.Errorf("%d nonces accepted as fresh, want exactly 500", fresh.Load())
	}
}
