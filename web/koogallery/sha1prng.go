package koogallery

import "crypto/sha1"

// sha1PRNG reproduces sun.security.provider.SecureRandom ("SHA1PRNG") after
// an explicit setSeed and before any other use, which is how the official
// Java demo derives the AES key from the access key (KeyGenerator.init with
// a SecureRandom seeded by accessKey.getBytes()).
type sha1PRNG struct {
	state     [sha1.Size]byte
	remainder [sha1.Size]byte
	remCount  int
}

func newSHA1PRNG(seed []byte) *sha1PRNG {
	return &sha1PRNG{state: sha1.Sum(seed)}
}

// Read mirrors engineNextBytes, including the remainder carried between
// calls, so any sequence of reads yields the same bytes as Java.
func (p *sha1PRNG) Read(b []byte) (int, error) {
	i := 0
	if r := p.remCount; r > 0 {
		n := min(len(b), sha1.Size-r)
		for j := 0; j < n; j++ {
			b[j] = p.remainder[r]
			p.remainder[r] = 0
			r++
		}
		p.remCount += n
		i += n
	}
	for i < len(b) {
		out := sha1.Sum(p.state[:])
		p.updateState(out)
		n := min(len(b)-i, sha1.Size)
		for j := 0; j < n; j++ {
			b[i] = out[j]
			out[j] = 0
			i++
		}
		p.remCount += n
		p.remainder = out
	}
	p.remCount %= sha1.Size
	return len(b), nil
}

// updateState is state = state + output + 1 computed the way Java does it:
// bytes are signed, so the carry is the arithmetic shift of a sum of signed
// values. An unsigned 160-bit addition gives different keys.
func (p *sha1PRNG) updateState(out [sha1.Size]byte) {
	carry := 1
	changed := false
	for i := range p.state {
		v := int(int8(p.state[i])) + int(int8(out[i])) + carry
		t := byte(v)
		changed = changed || p.state[i] != t
		p.state[i] = t
		carry = v >> 8
	}
	if !changed {
		p.state[0]++
	}
}
