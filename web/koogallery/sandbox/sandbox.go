package sandbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/sellercenter/sellercenter/web/koogallery"
)

// Config configures a sandbox.
type Config struct {
	Key         string                 // access key, required
	DBPath      string                 // SQLite file; "" = a temp file removed by Close
	EncryptType koogallery.EncryptType // of appInfo credentials; "" = AES-256
	Faults      Faults                 // initial fault knobs
	Seed        uint64                 // seeds the fail-rate draw
	BaseURL     string                 // prefix of frontEndUrl/adminUrl; "" = https://sandbox.invalid
	Now         func() time.Time       // nil = time.Now
	Logger      *slog.Logger           // nil = discard
}

// Server is the sandbox; it is an http.Handler.
type Server struct {
	cfg      Config
	store    *store
	verifier *koogallery.Verifier
	mux      *http.ServeMux
	log      *slog.Logger
	tmpDir   string

	mu     sync.Mutex // guards faults and rng
	faults Faults
	rng    *rand.Rand
}

// New opens the store and returns a ready sandbox.
func New(cfg Config) (*Server, error) {
	if cfg.Key == "" {
		return nil, errors.New("sandbox: Config.Key is required")
	}
	et, err := koogallery.ParseEncryptType(string(cfg.EncryptType))
	if err != nil {
		return nil, err
	}
	cfg.EncryptType = et
	if cfg.Faults.AsyncDelay == 0 {
		cfg.Faults.AsyncDelay = DefaultAsyncDelay
	}
	if err := cfg.Faults.Validate(); err != nil {
		return nil, err
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = "https://sandbox.invalid"
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{
		cfg:    cfg,
		faults: cfg.Faults,
		rng:    rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		log:    cfg.Logger,
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	path := cfg.DBPath
	if path == "" {
		s.tmpDir, err = os.MkdirTemp("", "saas-sandbox-")
		if err != nil {
			return nil, err
		}
		path = filepath.Join(s.tmpDir, "sandbox.db")
	}
	s.store, err = openStore(path)
	if err != nil {
		s.removeTemp()
		return nil, err
	}
	s.verifier = &koogallery.Verifier{Key: cfg.Key, Now: cfg.Now}
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("/produce", s.handleProduce)
	s.mux.HandleFunc("GET /sandbox/faults", s.handleGetFaults)
	s.mux.HandleFunc("POST /sandbox/faults", s.handleSetFaults)
	s.mux.HandleFunc("GET /sandbox/instances/{id}", s.handleGetInstance)
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Close closes the store and removes a temporary database.
func (s *Server) Close() error {
	err := s.store.db.Close()
	s.removeTemp()
	return err
}

func (s *Server) removeTemp() {
	if s.tmpDir != "" {
		_ = os.RemoveAll(s.tmpDir)
	}
}

// Faults returns the current fault knobs.
func (s *Server) Faults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults
}

// SetFaults replaces the fault knobs.
func (s *Server) SetFaults(f Faults) error {
	if err := f.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	s.faults = f
	s.mu.Unlock()
	return nil
}

// Instance returns a stored instance, for tests and the inspection endpoint.
func (s *Server) Instance(ctx context.Context, id string) (Instance, error) {
	return s.store.get(ctx, id)
}

// Notifications reports how many orderNotify calls arrived for an order line.
func (s *Server) Notifications(ctx context.Context, orderID, orderLineID string) (int, error) {
	return s.store.notifications(ctx, orderID, orderLineID)
}

// failDraw decides one fail-rate draw under the lock, so a seeded sandbox
// fails the same calls in the same order.
func (s *Server) failDraw(rate float64) bool {
	if rate <= 0 {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rng.Float64() < rate
}

func (s *Server) handleProduce(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	f := s.Faults()
	if f.Latency > 0 {
		t := time.NewTimer(f.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	in, err := s.verifier.ParseRequest(r)
	var resp any
	switch {
	case err != nil:
		resp = errorResponse(koogallery.ResultCodeForError(err), err.Error())
	case f.ResultCode != "" && f.ResultCode != string(koogallery.ResultSuccess):
		resp = errorResponse(koogallery.ResultCode(f.ResultCode), "forced by the result-code fault")
	case s.failDraw(f.FailRate):
		resp = errorResponse(koogallery.ResultInternalError, "injected by the fail-rate fault")
	default:
		resp = s.dispatch(r.Context(), in, f)
	}
	body, sign, encErr := koogallery.EncodeResponse(s.cfg.Key, resp)
	if encErr != nil {
		s.log.Error("encode response", "err", encErr)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if f.BadBodySign {
		sign = koogallery.BodySignHeader(s.cfg.Key+"-not-the-key", body)
	}
	koogallery.WriteSigned(w, body, sign)

	attrs := []any{"method", r.Method, "latency", time.Since(start).Round(time.Microsecond), "resultCode", resultCodeOf(resp)}
	if in != nil {
		attrs = append(attrs, "version", in.Version, "activity", in.Activity)
	}
	if err != nil {
		attrs = append(attrs, "err", err)
	}
	s.log.Info("produce", attrs...)
}

func resultCodeOf(resp any) koogallery.ResultCode {
	switch r := resp.(type) {
	case koogallery.Response:
		return r.ResultCode
	case koogallery.NewInstanceResponse:
		return r.ResultCode
	case koogallery.QueryInstanceResponse:
		return r.ResultCode
	}
	return ""
}

// errorResponse puts the reason after the code's meaning, cut to the 255
// characters resultMsg allows.
func errorResponse(code koogallery.ResultCode, reason string) koogallery.Response {
	resp := koogallery.NewResponse(code)
	if reason != "" {
		resp.ResultMsg += ": " + reason
	}
	if utf8.RuneCountInString(resp.ResultMsg) > 255 {
		resp.ResultMsg = string([]rune(resp.ResultMsg)[:255])
	}
	return resp
}

func ok() koogallery.Response { return koogallery.NewResponse(koogallery.ResultSuccess) }

// dispatch runs one verified call. Storage errors become 000005, unknown
// instances 000003.
func (s *Server) dispatch(ctx context.Context, in *koogallery.Incoming, f Faults) any {
	resp, err := s.run(ctx, in, f)
	switch {
	case errors.Is(err, errNotFound):
		return errorResponse(koogallery.ResultInstanceNotFound, "")
	case err != nil:
		s.log.Error("produce", "activity", in.Activity, "err", err)
		return errorResponse(koogallery.ResultInternalError, "")
	}
	return resp
}

func (s *Server) run(ctx context.Context, in *koogallery.Incoming, f Faults) (any, error) {
	now := s.cfg.Now()
	switch req := in.Request.(type) {
	case *koogallery.NewInstanceRequest:
		return s.newInstance(ctx, in.Version, req, f, now)
	case *koogallery.QueryInstanceRequest:
		return s.queryInstance(ctx, req, now)
	case *koogallery.RefreshInstanceRequest:
		_, err := s.store.applyOnce(ctx, "refresh", req.OrderID, req.OrderLineID, req.InstanceID, now, func(tx *sql.Tx, inst Instance) error {
			exp, err := koogallery.ParseTime(req.ExpireTime)
			if err != nil {
				return err
			}
			trial := inst.Trial && req.Scene != koogallery.SceneTrialToFormal && req.TrialToFormal != "1"
			status := inst.Status
			if status == StatusFrozen && req.Scene != koogallery.SceneUnsubscribeRenewalPeriod {
				status = StatusActive // a renewal revives an instance frozen on expiry
			}
			// product_id stays: it is part of the newInstance idempotency key,
			// and a late retry of the original order must still find this row.
			_, err = tx.ExecContext(ctx, `UPDATE instances SET expire_time = ?, trial = ?, status = ?,
				refreshes = refreshes + 1, updated_at_ms = ? WHERE instance_id = ?`,
				koogallery.FormatExpireTime(exp), trial, status, now.UnixMilli(), inst.InstanceID)
			return err
		})
		return ok(), err
	case *koogallery.UpgradeRequest:
		return s.upgrade(ctx, req.OrderID, "", req.InstanceID, req.SKUCode, now)
	case *koogallery.UpgradeInstanceRequest:
		return s.upgrade(ctx, req.OrderID, req.OrderLineID, req.InstanceID, "", now)
	case *koogallery.ExpireInstanceRequest:
		return ok(), s.store.setStatus(ctx, req.InstanceID, StatusFrozen, now)
	case *koogallery.InstanceStatusRequest:
		status := StatusActive
		if req.InstanceStatus == koogallery.StatusFreeze {
			status = StatusFrozen
		}
		return ok(), s.store.setStatus(ctx, req.InstanceID, status, now)
	case *koogallery.UpdateInstanceStatusRequest:
		status := StatusActive
		if req.Status == koogallery.StatusFreeze {
			status = StatusFrozen
		}
		return ok(), s.store.setStatus(ctx, req.InstanceID, status, now)
	case *koogallery.ReleaseInstanceRequest:
		return ok(), s.store.release(ctx, req.InstanceID, now)
	case *koogallery.ChangeInstanceCheckRequest:
		if _, err := s.liveInstance(ctx, req.InstanceID); err != nil {
			return nil, err
		}
		return ok(), nil
	case *koogallery.GetLicenseAsyncRequest:
		if _, err := s.liveInstance(ctx, req.InstanceID); err != nil {
			return nil, err
		}
		if req.DeviceFingerprint == "" {
			return errorResponse(koogallery.ResultLicenseFingerprintMissing, ""), nil
		}
		return ok(), s.store.recordLicense(ctx, req.EventID, req.DeviceFingerprint, req.InstanceID, now)
	case *koogallery.OrderNotifyRequest:
		return ok(), s.store.recordNotification(ctx, req.OrderID, req.OrderLineID)
	}
	return nil, fmt.Errorf("sandbox: no handler for %T", in.Request)
}

func (s *Server) liveInstance(ctx context.Context, id string) (Instance, error) {
	inst, err := s.store.get(ctx, id)
	if err == nil && inst.Status == StatusReleased {
		err = errNotFound
	}
	return inst, err
}

func (s *Server) upgrade(ctx context.Context, orderID, orderLineID, instanceID, sku string, now time.Time) (any, error) {
	_, err := s.store.applyOnce(ctx, "upgrade", orderID, orderLineID, instanceID, now, func(tx *sql.Tx, inst Instance) error {
		if sku == "" {
			sku = inst.SKUCode
		}
		_, err := tx.ExecContext(ctx, `UPDATE instances SET sku_code = ?, upgrades = upgrades + 1, updated_at_ms = ?
			WHERE instance_id = ?`, sku, now.UnixMilli(), inst.InstanceID)
		return err
	})
	return ok(), err
}

func (s *Server) newInstance(ctx context.Context, v koogallery.Version, req *koogallery.NewInstanceRequest, f Faults, now time.Time) (any, error) {
	orderID, orderLineID, businessID := req.OrderKey()
	inst := Instance{
		InstanceID: businessID, Version: string(v), OrderID: orderID, BusinessID: businessID,
		CustomerID: req.CustomerID, SKUCode: req.SKUCode, ChargingMode: req.ChargingMode,
		Status: StatusActive, Trial: req.TrialFlag == "1", TestFlag: req.TestFlag,
		AdminUser: "admin-" + randomHex(4), Password: randomPassword(),
		ReadyAt: now, CreatedAt: now, UpdatedAt: now,
	}
	if exp, err := koogallery.ParseTime(req.ExpireTime); err == nil {
		inst.ExpireTime = koogallery.FormatExpireTime(exp)
	}
	if v == koogallery.V2 {
		inst.OrderLineID = orderLineID
		if req.BuyerInfo != nil {
			inst.CustomerID = req.BuyerInfo.CustomerID
		}
		if len(req.OrderInfo) > 0 {
			oi := req.OrderInfo[0]
			inst.ChargingMode, inst.Trial = oi.ChargingMode, oi.TrialFlag == "1"
			if len(oi.ProductInfo) > 0 {
				inst.SKUCode = oi.ProductInfo[0].SKUCode
			}
		}
	} else {
		inst.ProductID = req.ProductID
	}
	if f.Async {
		inst.ReadyAt = now.Add(f.AsyncDelay)
	}
	inst, _, err := s.store.createOrGet(ctx, inst)
	if err != nil {
		return nil, err
	}
	resp := koogallery.NewInstanceResponse{Response: ok(), InstanceID: inst.InstanceID}
	if now.Before(inst.ReadyAt) {
		resp.Response = koogallery.NewResponse(koogallery.ResultProcessing)
		return resp, nil
	}
	if v == koogallery.V2 {
		return resp, nil // V2 delivers appInfo through queryInstance
	}
	app, err := s.appInfo(inst)
	if err != nil {
		return nil, err
	}
	resp.EncryptType, resp.AppInfo = s.cfg.EncryptType, app
	return resp, nil
}

func (s *Server) queryInstance(ctx context.Context, req *koogallery.QueryInstanceRequest, now time.Time) (any, error) {
	resp := koogallery.QueryInstanceResponse{Response: ok(), EncryptType: s.cfg.EncryptType}
	pending := false
	for _, id := range req.InstanceIDs() {
		inst, err := s.liveInstance(ctx, id)
		if errors.Is(err, errNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if now.Before(inst.ReadyAt) {
			pending = true
			continue
		}
		app, err := s.appInfo(inst)
		if err != nil {
			return nil, err
		}
		info := koogallery.InstanceInfo{InstanceID: inst.InstanceID, AppInfo: app}
		if onDemand(inst.ChargingMode) {
			info.UsageInfo = []koogallery.UsageInfo{{UsageValue: "0", StatisticalTime: koogallery.FormatTimeStamp(now)}}
		}
		resp.Info = append(resp.Info, info)
	}
	switch {
	case len(resp.Info) > 0:
		return resp, nil
	case pending:
		return koogallery.NewResponse(koogallery.ResultProcessing), nil
	}
	return nil, errNotFound
}

// onDemand covers V1's numeric modes (0 pay-per-use, 5 package) and V2's names.
func onDemand(mode string) bool {
	switch mode {
	case "0", "5", "ON_DEMAND", "ON_DEMAND_PKG":
		return true
	}
	return false
}

func (s *Server) appInfo(inst Instance) (*koogallery.AppInfo, error) {
	user, err := koogallery.Encrypt(s.cfg.Key, inst.AdminUser, s.cfg.EncryptType)
	if err != nil {
		return nil, err
	}
	pass, err := koogallery.Encrypt(s.cfg.Key, inst.Password, s.cfg.EncryptType)
	if err != nil {
		return nil, err
	}
	return &koogallery.AppInfo{
		FrontEndURL: s.cfg.BaseURL + "/app/" + inst.InstanceID,
		AdminURL:    s.cfg.BaseURL + "/admin/" + inst.InstanceID,
		UserName:    user,
		Password:    pass,
		Memo:        "沙箱实例 sandbox instance " + inst.InstanceID,
	}, nil
}

func randomPassword() string {
	return koogallery.NewIV() // 16 random alphanumerics
}

func (s *Server) handleGetFaults(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.Faults())
}

func (s *Server) handleSetFaults(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	f, err := applyPatch(s.faults, body)
	if err == nil {
		s.faults = f
	}
	s.mu.Unlock()
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	s.log.Info("faults changed", "faults", f)
	writeJSON(w, http.StatusOK, f)
}

func (s *Server) handleGetInstance(w http.ResponseWriter, r *http.Request) {
	inst, err := s.store.get(r.Context(), r.PathValue("id"))
	switch {
	case errors.Is(err, errNotFound):
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "instance not found"})
	case err != nil:
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
	default:
		writeJSON(w, http.StatusOK, inst)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := koogallery.MarshalASCII(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
