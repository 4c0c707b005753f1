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
// Login throttling never locks the real user out: failures are counted per
// client address AND account together. After 3 wrong passwords for an
// account from one address, each further attempt from that address for
// that account waits 2^k seconds (1 s, 2 s, 4 s, … at most 5 minutes) →
// 429 with Retry-After and a localized message saying how long. The same
// account from another address is not slowed at all, and there is no
// lockout of an account from everywhere. An address failing 20 times over
// any accounts (password spraying) gets the same growing wait for every
// account. A success clears the pair's count; counts with no failure for an
// hour are forgotten. Counts live in the database (login_throttle), so
// every instance sees the same numbers, and time is the injected clock.
// Wrong password, unknown user and disabled user get one and the same
// message, and an unknown user costs as much hashing time as a known one.
//
// 忘记密码: a reset request answers the same whether or not the e-mail
// belongs to an account. For an account, a random 256-bit token is made,
// only its SHA-256 stored (password_resets), valid for an hour and once;
// the link goes out through the Mailer (the mail_outbox table, which a mail
// sender consumes). Using it sets the password, ends every session of the
// user, spends every other open token of theirs, and is audited. With no
// mail server configured, the merchant's owner (for their sub-users) or an
// operations manager (for any merchant user) sets a new password from the
// user pages, audited.
//
// Sub-users are invitations (user_invitations): adding any address answers
// "invitation sent" and lists a 待接受 row, whether the address is free or
// belongs to another merchant's or the platform's account, with the same
// hashing cost and the same user.invited line in the owner's log. A free
// address becomes a user with the owner's password, hidden from the list
// and from row actions until its first login accepts; an address in use
// elsewhere gets a row with no user, which can never log in here, and a
// notice mail instead of the invitation. The platform's log (no merchant)
// records which it was. Cancelling deletes the never-used user, so the
// address is free again either way. At most 20 invitations a day, counted
// alike. An address of the owner's own team is named as taken.
//
// Confirmations: disabling a user is a NeedsConfirmError until confirmed;
// every other check runs first, and nothing changes before it.
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
