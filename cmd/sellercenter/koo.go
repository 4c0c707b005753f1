package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sellercenter/sellercenter/web/koogallery"
)

// kooHelp is the usage of `sellercenter koo`, the signature calculator a
// merchant uses to check its own KooGallery implementation by hand.
const kooHelp = `Usage: sellercenter koo COMMAND [flags] [args]

KooGallery signature calculator. Each command prints only its result.

  v1-token  --key K name=value...              V1 authToken over the given (decoded)
                                               parameters; timeStamp=… must be among them
  v2-sign   --key K --nonce N --timestamp T --body-file F
                                               V2 signature (upper-case hex); F "-" = stdin
  body-sign --key K --body-file F [--header]   Body-Sign of the exact bytes of F
  encrypt   --key K --bits 256|128 [--iv IV] TEXT
                                               iv + Base64(AES-CBC), as appInfo credentials
  decrypt   --key K [--bits 256|128|auto] VALUE
                                               plaintext of an encrypted credential or PII

The key may also come from $KOO_KEY. Bodies are used byte for byte: a trailing
newline in the file is part of what is signed. Exit codes: 0 ok, 2 bad input.
Run a command with -h for its flags.
`

// runKoo runs `sellercenter koo ARGS` (args excludes "koo").
func runKoo(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, kooHelp)
		return 2
	}
	cmds := map[string]func(*kooCmd) (string, error){
		"v1-token":  kooV1Token,
		"v2-sign":   kooV2Sign,
		"body-sign": kooBodySign,
		"encrypt":   kooEncrypt,
		"decrypt":   kooDecrypt,
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, kooHelp)
		return 0
	}
	fn, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "koo: unknown command %q\n\n%s", args[0], kooHelp)
		return 2
	}
	c := &kooCmd{name: args[0], args: args[1:], stdin: stdin}
	c.fs = flag.NewFlagSet("sellercenter koo "+c.name, flag.ContinueOnError)
	c.fs.SetOutput(&c.flagOut)
	result, err := fn(c)
	switch {
	case errors.Is(err, flag.ErrHelp):
		_, _ = stdout.Write(c.flagOut.Bytes())
		return 0
	case err != nil:
		_, _ = stderr.Write(c.flagOut.Bytes())
		fmt.Fprintf(stderr, "koo %s: %v\n", c.name, err)
		return 2
	}
	fmt.Fprintln(stdout, result)
	return 0
}

// kooCmd carries one subcommand's flag set. Flag output is buffered so -h
// can go to stdout and a parse error's usage to stderr.
type kooCmd struct {
	name    string
	args    []string
	stdin   io.Reader
	fs      *flag.FlagSet
	flagOut bytes.Buffer
	key     string
}

func (c *kooCmd) keyFlag() {
	c.fs.StringVar(&c.key, "key", os.Getenv("KOO_KEY"), "access key (default $KOO_KEY)")
}

// parse parses flags and checks the positional argument count; max < 0
// means any number.
func (c *kooCmd) parse(usage string, min, max int) error {
	c.fs.Usage = func() {
		fmt.Fprintf(c.fs.Output(), "Usage: sellercenter koo %s %s\n", c.name, usage)
		c.fs.PrintDefaults()
	}
	if err := c.fs.Parse(c.args); err != nil {
		return err
	}
	if c.key == "" {
		return errors.New("--key is required")
	}
	if n := c.fs.NArg(); n < min || (max >= 0 && n > max) {
		c.fs.Usage()
		return fmt.Errorf("expected %s", usage)
	}
	return nil
}

func kooV1Token(c *kooCmd) (string, error) {
	c.keyFlag()
	if err := c.parse("--key K name=value...", 1, -1); err != nil {
		return "", err
	}
	params := make(map[string][]string)
	for _, arg := range c.fs.Args() {
		name, value, ok := strings.Cut(arg, "=")
		if !ok || name == "" {
			return "", fmt.Errorf("%q is not name=value", arg)
		}
		if name == koogallery.ParamAuthToken {
			return "", errors.New("authToken is the result, not an input")
		}
		if _, dup := params[name]; dup {
			return "", fmt.Errorf("parameter %q given twice", name)
		}
		params[name] = []string{value}
	}
	tok, err := koogallery.V1Token(c.key, params)
	if errors.Is(err, koogallery.ErrMissingTimestamp) {
		return "", errors.New("timeStamp=yyyyMMddHHmmssSSS must be among the parameters: it is part of the HMAC key")
	}
	return tok, err
}

func kooV2Sign(c *kooCmd) (string, error) {
	c.keyFlag()
	nonce := c.fs.String("nonce", "", "nonce query parameter")
	timestamp := c.fs.String("timestamp", "", "timestamp query parameter, Unix ms (or s), used verbatim")
	bodyFile := c.fs.String("body-file", "", `file holding the exact request body; "-" = stdin`)
	if err := c.parse("--key K --nonce N --timestamp T --body-file F", 0, 0); err != nil {
		return "", err
	}
	if *nonce == "" {
		return "", errors.New("--nonce is required")
	}
	if _, err := koogallery.ParseUnixTimestamp(*timestamp); err != nil {
		return "", fmt.Errorf("--timestamp: %w", err)
	}
	body, err := c.readBody(*bodyFile)
	if err != nil {
		return "", err
	}
	return koogallery.V2Signature(c.key, *nonce, *timestamp, body), nil
}

func kooBodySign(c *kooCmd) (string, error) {
	c.keyFlag()
	bodyFile := c.fs.String("body-file", "", `file holding the exact response body; "-" = stdin`)
	header := c.fs.Bool("header", false, "print the whole Body-Sign header value instead of the Base64 signature")
	if err := c.parse("--key K --body-file F [--header]", 0, 0); err != nil {
		return "", err
	}
	body, err := c.readBody(*bodyFile)
	if err != nil {
		return "", err
	}
	if *header {
		return koogallery.BodySignHeader(c.key, body), nil
	}
	return koogallery.BodySignature(c.key, body), nil
}

func kooEncrypt(c *kooCmd) (string, error) {
	c.keyFlag()
	bits := c.fs.Int("bits", 256, "AES key size: 256 (encryptType 1) or 128 (encryptType 2)")
	iv := c.fs.String("iv", "", "16-character IV (default: random alphanumerics)")
	if err := c.parse("--key K --bits 256|128 [--iv IV] TEXT", 1, 1); err != nil {
		return "", err
	}
	et, err := koogallery.EncryptTypeForBits(*bits)
	if err != nil {
		return "", err
	}
	if *iv == "" {
		*iv = koogallery.NewIV()
	}
	return koogallery.EncryptWithIV(c.key, c.fs.Arg(0), *iv, et)
}

func kooDecrypt(c *kooCmd) (string, error) {
	c.keyFlag()
	bits := c.fs.String("bits", "auto", "AES key size: 256, 128, or auto (256, then 128)")
	if err := c.parse("--key K [--bits 256|128|auto] VALUE", 1, 1); err != nil {
		return "", err
	}
	value := c.fs.Arg(0)
	switch *bits {
	case "auto":
		pt, _, err := koogallery.DecryptAuto(c.key, value)
		return pt, err
	case "256":
		return koogallery.Decrypt(c.key, value, koogallery.EncryptAES256)
	case "128":
		return koogallery.Decrypt(c.key, value, koogallery.EncryptAES128)
	}
	return "", fmt.Errorf("--bits must be 256, 128 or auto, got %q", *bits)
}

// readBody reads the exact bytes to sign, never more than the protocol's
// 1 MiB body limit.
func (c *kooCmd) readBody(path string) ([]byte, error) {
	if path == "" {
		return nil, errors.New("--body-file is required")
	}
	var r io.Reader
	if path == "-" {
		r = c.stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	body, err := io.ReadAll(io.LimitReader(r, koogallery.MaxBodyBytes+1))
	if err != nil {
		return nil, err
	}
	if len(body) > koogallery.MaxBodyBytes {
		return nil, fmt.Errorf("body larger than %d bytes", koogallery.MaxBodyBytes)
	}
	return body, nil
}
