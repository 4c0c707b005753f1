package debugger

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/web/koogallery"
)

// Calculator operations: the commands of `sellercenter koo`.
const (
	CalcV1Token  = "v1_token"
	CalcV2Sign   = "v2_sign"
	CalcBodySign = "body_sign"
	CalcEncrypt  = "encrypt"
	CalcDecrypt  = "decrypt"
)

// CalcOps lists the operations in display order.
var CalcOps = []string{CalcV1Token, CalcV2Sign, CalcBodySign, CalcEncrypt, CalcDecrypt}

// maxCalcKey bounds the key; real access keys are far shorter.
const maxCalcKey = 256

// CalcInput is the signature-calculator form. Which fields count depends on Op.
type CalcInput struct {
	Op        string
	Key       string
	Params    string // v1_token: name=value, one per line (decoded values)
	Nonce     string // v2_sign
	Timestamp string // v2_sign: as sent in the URL, Unix ms (or s)
	Body      string // v2_sign, body_sign: the exact body; CRLF line breaks count as LF
	Bits      string // encrypt: 256 or 128; decrypt: 256, 128 or auto
	IV        string // encrypt: 16 characters, random when empty
	Text      string // encrypt: plaintext; decrypt: iv + Base64
}

// CalcResult is the computed value with the intermediate steps.
type CalcResult struct {
	Op    string
	Value string
	Steps []Step
}

// Calculate runs one calculator operation; pure computation with the
// protocol package, nothing stored or sent. Bad input is a
// *models.ValidationError naming the field.
func Calculate(in CalcInput) (*CalcResult, error) {
	v := &models.ValidationError{}
	known := false
	for _, op := range CalcOps {
		known = known || op == in.Op
	}
	if !known {
		v.Add("op", models.M("err.filter_value"))
		return nil, v
	}
	switch {
	case in.Key == "":
		v.Add("key", models.M("err.required"))
	case len(in.Key) > maxCalcKey:
		v.Add("key", models.M("err.too_long", "Max", maxCalcKey))
	}
	body := []byte(strings.ReplaceAll(in.Body, "\r\n", "\n"))
	if len(body) > koogallery.MaxBodyBytes {
		v.Add("body", models.M("err.too_long", "Max", koogallery.MaxBodyBytes))
	}
	res := &CalcResult{Op: in.Op}
	switch in.Op {
	case CalcV1Token:
		params := parseLines(in.Params, v)
		if v.Err() != nil {
			return nil, v
		}
		tok, err := koogallery.V1Token(in.Key, params)
		if errors.Is(err, koogallery.ErrMissingTimestamp) {
			v.Add("params", models.M("err.calc_timestamp"))
			return nil, v
		}
		if err != nil {
			return nil, err
		}
		res.Value = tok
		res.Steps = []Step{
			{Label: "debug.step.v1_canonical", Value: koogallery.V1CanonicalString(params)},
			{Label: "debug.step.v1_hmac_key", Value: KeyPlaceholder + params.Get(koogallery.ParamTimeStamp)},
			{Label: "debug.step.v1_token", Value: tok},
		}
	case CalcV2Sign:
		if in.Nonce == "" {
			v.Add("nonce", models.M("err.required"))
		} else if len(in.Nonce) > 128 {
			v.Add("nonce", models.M("err.too_long", "Max", 128))
		}
		if _, err := koogallery.ParseUnixTimestamp(in.Timestamp); err != nil {
			v.Add("timestamp", models.M("err.calc_timestamp_format"))
		}
		if len(body) == 0 {
			v.Add("body", models.M("err.required"))
		}
		if v.Err() != nil {
			return nil, v
		}
		hash := koogallery.V2PayloadHash(in.Key, body)
		res.Value = koogallery.V2Signature(in.Key, in.Nonce, in.Timestamp, body)
		res.Steps = []Step{
			{Label: "debug.step.v2_payload_hash", Value: hash},
			{Label: "debug.step.v2_string", Value: KeyPlaceholder + in.Nonce + in.Timestamp + hash},
			{Label: "debug.step.v2_signature", Value: res.Value},
		}
	case CalcBodySign:
		if len(body) == 0 {
			v.Add("body", models.M("err.required"))
		}
		if v.Err() != nil {
			return nil, v
		}
		res.Value = koogallery.BodySignature(in.Key, body)
		res.Steps = []Step{{Label: "debug.step.body_sign_header", Value: koogallery.FormatBodySign(res.Value)}}
	case CalcEncrypt:
		et, err := koogallery.EncryptTypeForBits(atoi(in.Bits))
		if err != nil {
			v.Add("bits", models.M("err.enum", "Values", "256, 128"))
		}
		if in.Text == "" {
			v.Add("text", models.M("err.required"))
		} else if len(in.Text) > koogallery.MaxPlaintextBytes {
			v.Add("text", models.M("err.calc_plaintext_long", "Max", koogallery.MaxPlaintextBytes))
		}
		iv := in.IV
		if iv == "" {
			iv = koogallery.NewIV()
		}
		if v.Err() != nil {
			return nil, v
		}
		out, err := koogallery.EncryptWithIV(in.Key, in.Text, iv, et)
		switch {
		case errors.Is(err, koogallery.ErrBadIV):
			v.Add("iv", models.M("err.calc_iv"))
			return nil, v
		case errors.Is(err, koogallery.ErrNotUTF8):
			v.Add("text", models.M("err.invalid_text"))
			return nil, v
		case err != nil:
			return nil, err
		}
		res.Value = out
		res.Steps = []Step{{Label: "debug.step.iv", Value: iv}, {Label: "debug.step.bits", Value: strconv.Itoa(et.Bits())}}
	case CalcDecrypt:
		if in.Text == "" {
			v.Add("text", models.M("err.required"))
		}
		bits := in.Bits
		if bits == "" {
			bits = "auto"
		}
		if bits != "auto" && bits != "256" && bits != "128" {
			v.Add("bits", models.M("err.enum", "Values", "256, 128, auto"))
		}
		if v.Err() != nil {
			return nil, v
		}
		var (
			pt  string
			et  koogallery.EncryptType
			err error
		)
		if bits == "auto" {
			pt, et, err = koogallery.DecryptAuto(in.Key, in.Text)
		} else {
			et, _ = koogallery.EncryptTypeForBits(atoi(bits))
			pt, err = koogallery.Decrypt(in.Key, in.Text, et)
		}
		if err != nil {
			v.Add("text", models.M("err.calc_decrypt"))
			return nil, v
		}
		res.Value = pt
		res.Steps = []Step{{Label: "debug.step.bits", Value: strconv.Itoa(et.Bits())}}
	}
	return res, nil
}

func atoi(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return -1
	}
	return n
}

// parseLines reads name=value lines (blank lines skipped) the way the CLI
// reads its arguments: values as given, never decoded again.
func parseLines(text string, v *models.ValidationError) url.Values {
	params := url.Values{}
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		name = strings.TrimSpace(name)
		switch {
		case !ok || name == "":
			v.Add("params", models.M("err.calc_param_line", "Line", i+1))
		case name == koogallery.ParamAuthToken:
			v.Add("params", models.M("err.calc_auth_token"))
		case params.Has(name):
			v.Add("params", models.M("err.calc_param_twice", "Name", name))
		default:
			params.Set(name, value)
		}
	}
	if len(params) == 0 && v.Err() == nil {
		v.Add("params", models.M("err.required"))
	}
	return params
}
