// Package accounts owns merchants, users, logins and sessions.
//
// # Security
//
// Sessions are server-side rows keyed by the SHA-256 of a random 256-bit
// cookie token: logout, disabling a user or resetting their password deletes
// the rows, so a copied cookie dies with them. Sessions slide to 12 idle
// hours and live 7 days at most. Cookies are HttpOnly and SameSite=Lax, and
// Secure when the request arrived over https (directly or per
// X-Forwarded-Proto) or SELLERCENTER_SECURE_COOKIES is set.
//
// CSRF: echo's CSRF middleware (package web); every state-changing form
// carries _csrf; a missing or wrong token is a localized 403.
//
// Login throttling: 5 wrong passwords per account or 30 per client address
// within 15 minutes → 429 with Retry-After and a localized message. Counts
// live in the database, so every instance behind a load balancer sees the
// same numbers. Wrong password, unknown user and disabled user get one and
// the same message, and an unknown user costs as much hashing time as a
// known one.
//
// Passwords: argon2id (19 MiB, 2 passes, per OWASP) in PHC format, up to 1024
// bytes (bcrypt would silently cut at 72).
//
// # Decisions
//
// An own session table instead of scs: revoking every session of a user
// (disable, password reset) needs sessions indexed by user, which scs's
// stores do not offer.
package accounts
