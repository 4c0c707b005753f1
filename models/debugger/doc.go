// Package debugger is the interface debugger (应用接入调试): test calls
// (testFlag=1) to a merchant's production interface with a step-by-step
// signature check, saved test cases (用例), the twice-daily dial tests (拨测)
// that replay them, and the rules that freeze a product whose dial tests keep
// failing or flag one whose orders keep failing. It also holds the signature
// calculator, the web twin of `sellercenter koo`.
//
// # The debugger
//
// /debugger (owner and tech roles) composes any activity of the protocol —
// the usual identifiers as fields, anything else as a JSON object — and sends
// it as a test call to the merchant's own endpoint, signed with its current
// key, outside any transaction and outside the message log (the send is
// audited). The page shows the request and response as they went over the
// wire (secrets masked) and a step-by-step signature check recomputed from
// those bytes: the canonical string (V1: the sorted, decoded query; V2:
// accessKey + nonce + timestamp + hex(HMAC(body)) with the key shown as a
// placeholder), the expected value against the one received, the Body-Sign
// over the exact response bytes, the resultCode and its meaning. A call can
// be saved as a test case, optionally tied to one of the merchant's products.
//
// # The test call before saving an endpoint
//
// Saving a changed 生产系统接口地址 (address, protocol or encryption) on
// /settings/endpoint goes through SaveEndpoint: a newInstance test call
// (testFlag=1, a test order id, signed with the merchant's active key) is
// sent to the new address first, outside any transaction. A call that
// passes (000000, or 000004 for an asynchronous create) saves at once; any
// other answer, or no active key to sign with, saves nothing and shows the
// answer (class, result code and its meaning, latency, the error with
// signatures, tokens and the key masked) with a 确认仍然保存 button, which
// posts the same form with confirm=1. The audit line of the change holds
// the old and new values (URL query secrets masked) and what the call
// answered, and whether it was saved after a failure. Changing only the
// timeout or concurrency makes no call. A key the merchant already uses can
// be imported (导入已在使用的密钥) the same way: a test call signed with it
// goes to the saved endpoint first, and a call that does not pass needs the
// same confirmation. A generated key (生成新密钥) is not tested: the
// merchant's system cannot know it yet, and the old key keeps verifying
// for the overlap. Keys show in audit lines by their fingerprint label (K-
// and six hex digits of the key's SHA-256) only.
//
// # Dial tests and the freeze/delist rules
//
// At 10:00 and 16:00 Asia/Shanghai every saved case of every on-sale product
// is replayed. One instance of the app claims each slot in app_settings, so
// several instances do not dial twice.
//
//   - A product whose dial runs failed on 5 consecutive days is frozen and
//     hidden. A day fails when every run that day failed; days without runs
//     neither count nor break the streak.
//   - A product with more than 5 buyer orders in a calendar month whose
//     creation failed at the interface (test calls excluded; a call
//     recovered by 重新启动 no longer counts) is flagged for delisting.
//
// Both show with their evidence — the failing-day streak, the recent dial
// runs (each with its error) and the month's failed orders — to the merchant
// (/debugger, the product's status on /settings/products, and a 501
// notification) and to operations (/admin/products), who can unfreeze or
// clear the flag (audited); the rule then counts again only from that
// moment.
package debugger
