package supervision

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/filestore"
)

// MerchantInput is a merchant's node action.
type MerchantInput struct {
	Action models.SupAction // confirm, reject, deliver, ship, parcel_signed, activate
	Text   string           // reject: the reason; deliver: an optional note
	Files  []Upload         // deliver: 交付验收文档 (required); activate: proof (required)
	// ServiceStart is 服务实际开通时间 (deliver, optional) or the activation
	// time (activate; default now).
	ServiceStart *time.Time
	Carrier      string     // ship
	TrackingNo   string     // ship
	SignedAt     *time.Time // parcel_signed (default now)
	// PhoneMismatch: the recipient phone did not match the tracking data,
	// so no automatic acceptance.
	PhoneMismatch bool
}

// Act is a merchant user's node action on one of its merchant's flows.
// Another merchant's flow is not found; an action the node, variant or an
// open appeal does not allow is a conflict; bad input a ValidationError.
// Nothing is stored unless everything is.
func (s *Service) Act(ctx context.Context, actor models.Actor, id int64, in MerchantInput) error {
	if actor.MerchantID == 0 || !actor.Can(models.PermSupervision) {
		return models.ErrForbidden
	}
	in.Text = strings.TrimSpace(in.Text)
	v := &models.ValidationError{}
	st := step{action: in.Action}
	now := s.now()
	switch in.Action {
	case models.SupConfirmReq:
		st.kind = models.SupEvConfirmed
	case models.SupRejectReq:
		st.kind, st.text = models.SupEvRejected, in.Text
		reason(v, "reason", in.Text)
		st.change = func(f *models.SupFlow) { f.RejectCount++ }
	case models.SupDeliver:
		st.kind, st.text, st.docKind = models.SupEvDelivered, in.Text, models.SupDocDelivery
		v.Text("text", in.Text, models.SupTextMax, false, true)
		if len(in.Files) == 0 {
			v.Add("files", models.M("supervision.err.delivery_document"))
		}
		if in.ServiceStart != nil && in.ServiceStart.After(now) {
			v.Add("service_start", models.M("supervision.err.start_future"))
		}
		st.change = func(f *models.SupFlow) {
			if in.ServiceStart != nil {
				t := in.ServiceStart.UTC().Truncate(time.Second)
				f.ServiceStartAt = &t
			}
		}
	case models.SupShip:
		st.kind = models.SupEvShipped
		in.Carrier, in.TrackingNo = strings.TrimSpace(in.Carrier), strings.TrimSpace(in.TrackingNo)
		v.Text("carrier", in.Carrier, models.SupCarrierMax, true, false)
		v.Text("tracking_no", in.TrackingNo, models.SupTrackingMax, true, false)
		st.detail = map[string]any{"carrier": in.Carrier, "tracking_no": in.TrackingNo}
		st.change = func(f *models.SupFlow) { f.Carrier, f.TrackingNo, f.ShippedAt = in.Carrier, in.TrackingNo, &now }
	case models.SupParcelSigned:
		st = s.signedStep(in.SignedAt, in.PhoneMismatch, now, v)
	case models.SupActivate:
		st.kind, st.docKind = models.SupEvActivated, models.SupDocProof
		if len(in.Files) == 0 {
			v.Add("files", models.M("supervision.err.proof_required"))
		}
		at := now
		if in.ServiceStart != nil {
			if in.ServiceStart.After(now) {
				v.Add("service_start", models.M("supervision.err.start_future"))
			}
			at = in.ServiceStart.UTC().Truncate(time.Second)
		}
		after := int64(s.cfg.LicenseAcceptAfter / time.Second)
		// The actual start of a license is its activation.
		st.change = func(f *models.SupFlow) { f.ActivatedAt, f.ServiceStartAt, f.AcceptLeftS = &at, &at, &after }
	default:
		v.Add("action", models.M("err.filter_value"))
	}
	if v.Err() != nil {
		return v
	}
	return s.withFiles(in.Files, func(files []filestore.Stored) error {
		st.files = files
		return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			f, err := loadFlow(tx, id, scope{merchantID: actor.MerchantID}.where(""))
			if err != nil {
				return err
			}
			_, err = s.apply(tx, f, who{models.SupPartyMerchant, actor}, st, now)
			return err
		})
	})
}

// signedStep is the parcel signed for (either party): the buyer has 10 days,
// then the flow is accepted automatically, unless the recipient phone did
// not match the tracking data.
func (s *Service) signedStep(at *time.Time, mismatch bool, now time.Time, v *models.ValidationError) step {
	signed := now
	if at != nil {
		if at.After(now) {
			v.Add("signed_at", models.M("supervision.err.signed_future"))
		}
		signed = at.UTC().Truncate(time.Second)
	}
	return step{action: models.SupParcelSigned, kind: models.SupEvSigned,
		detail: map[string]any{"signed_at": signed, "phone_mismatch": mismatch},
		change: func(f *models.SupFlow) {
			f.SignedAt, f.PhoneMismatch = &signed, mismatch
			f.AcceptDueAt, f.AcceptLeftS = nil, nil
			if !mismatch {
				left := int64(max(signed.Add(days(models.SupHardwareDays)).Sub(now), 0) / time.Second)
				f.AcceptLeftS = &left
			}
		}}
}

// withFiles stores the uploads, runs fn, and removes the files again when
// fn fails, so a refused action leaves nothing on disk.
func (s *Service) withFiles(ups []Upload, fn func([]filestore.Stored) error) error {
	files, err := s.storeDocs(ups)
	if err != nil {
		return err
	}
	if err := fn(files); err != nil {
		s.removeDocs(files)
		return err
	}
	return nil
}

// reason checks a required reason (5–1000 characters).
func reason(v *models.ValidationError, field, s string) {
	switch n := utf8.RuneCountInString(s); {
	case s == "":
		v.Add(field, models.M("supervision.err.reason_required"))
	case n < models.SupReasonMin || n > models.SupReasonMax:
		v.Add(field, models.M("supervision.err.reason_length", "Min", models.SupReasonMin, "Max", models.SupReasonMax))
	default:
		v.Text(field, s, models.SupReasonMax, true, true)
	}
}
