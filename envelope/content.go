// Copyright 2026 The crossseal Authors
// SPDX-License-Identifier: Apache-2.0

package envelope

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/crossseal/crossseal/internal/pb"
	"google.golang.org/protobuf/proto"
)

// MessageID identifies a message for de-duplication, reactions and
// receipts. [Client.Seal] draws it at random when it is zero.
type MessageID [MessageIDSize]byte

// String returns the id in hex.
func (id MessageID) String() string { return hex.EncodeToString(id[:]) }

// IsZero reports whether id is all zero (unset).
func (id MessageID) IsZero() bool { return id == MessageID{} }

func newMessageID() MessageID {
	var id MessageID
	rand.Read(id[:]) // crypto/rand.Read never fails
	return id
}

// Content is what the ratchet encrypts: the message itself. Only the two
// ends see it. Its Body is one of [*Text], [*Attachment], [*Reaction],
// [*Receipt] or [*Typing].
type Content struct {
	// ID identifies the message; Seal fills it if zero.
	ID MessageID
	// SentAt is the sender's clock, at millisecond precision; Seal fills it
	// if zero.
	SentAt time.Time
	// OriginApp is the app the sender used; Seal sets it to the sender's
	// app, and Open checks it against the envelope's sender.
	OriginApp string
	// Body is the message.
	Body Body
}

// Body is the body of a [Content]. Only this package implements it.
type Body interface{ isBody() }

// Text is a text message.
type Text struct {
	// Text is valid UTF-8, 1..[MaxTextSize] bytes.
	Text string
}

// Attachment points to an encrypted blob stored elsewhere (a CDN). The
// blob is encrypted as Signal encrypts attachments: AES-256-CBC and
// HMAC-SHA256 under the two halves of Key.
type Attachment struct {
	// Pointer is the CDN URL or id, 1..[MaxAttachmentPointerSize] bytes.
	Pointer string
	// Key is [AttachmentKeySize] bytes: AES-256 key ‖ HMAC-SHA256 key. It
	// is secret; Attachment's String and Format do not print it.
	Key []byte
	// Digest is the SHA-256 of the encrypted blob ([AttachmentDigestSize]
	// bytes), checked by the receiver after download.
	Digest []byte
	// Size is the plaintext size in bytes.
	Size uint64
	// ContentType is the MIME type, at most [MaxContentTypeSize] bytes.
	ContentType string
}

// Reaction adds (or, with Remove, removes) an emoji reaction to a message.
type Reaction struct {
	Target MessageID
	// Emoji is 1..[MaxEmojiSize] bytes of UTF-8.
	Emoji  string
	Remove bool
}

// ReceiptType says what a [Receipt] acknowledges.
type ReceiptType uint8

const (
	// ReceiptDelivery acknowledges that messages reached the device.
	ReceiptDelivery ReceiptType = 1
	// ReceiptRead acknowledges that the user read them.
	ReceiptRead ReceiptType = 2
)

// Receipt acknowledges messages.
type Receipt struct {
	Type ReceiptType
	// Messages holds 1..[MaxReceiptMessages] ids.
	Messages []MessageID
}

// TypingAction says whether the sender started or stopped typing.
type TypingAction uint8

const (
	// TypingStarted means the sender started typing.
	TypingStarted TypingAction = 1
	// TypingStopped means the sender stopped typing.
	TypingStopped TypingAction = 2
)

// Typing is a typing indicator.
type Typing struct {
	Action TypingAction
}

func (*Text) isBody()       {}
func (*Attachment) isBody() {}
func (*Reaction) isBody()   {}
func (*Receipt) isBody()    {}
func (*Typing) isBody()     {}

// String prints the attachment without its key.
func (a *Attachment) String() string {
	return fmt.Sprintf("attachment{%d bytes, %q}", a.Size, a.ContentType)
}

// GoString prints the attachment without its key.
func (a *Attachment) GoString() string { return a.String() }

// Format prints the attachment without its key, for every verb.
func (a *Attachment) Format(f fmt.State, _ rune) { fmt.Fprint(f, a.String()) }

// marshalContent validates c and encodes it with sender bound inside.
// Errors are [*ParseError] (a field is invalid) or match [ErrTooLarge].
func marshalContent(c *Content, sender Address) ([]byte, error) {
	p := &pb.Content{
		MessageId: c.ID[:],
		OriginApp: c.OriginApp,
		Sender:    addressToPB(sender),
	}
	if ms := c.SentAt.UnixMilli(); ms > 0 {
		p.SentAtMs = uint64(ms)
	}
	switch b := c.Body.(type) {
	case nil:
	case *Text:
		if b == nil {
			break
		}
		p.Body = &pb.Content_Text{Text: &pb.ContentText{Text: b.Text}}
	case *Attachment:
		if b == nil {
			break
		}
		p.Body = &pb.Content_Attachment{Attachment: &pb.ContentAttachment{
			Pointer: b.Pointer, Key: b.Key, Digest: b.Digest, Size: b.Size, ContentType: b.ContentType,
		}}
	case *Reaction:
		if b == nil {
			break
		}
		p.Body = &pb.Content_Reaction{Reaction: &pb.ContentReaction{TargetMessageId: b.Target[:], Emoji: b.Emoji, Remove: b.Remove}}
	case *Receipt:
		if b == nil {
			break
		}
		r := &pb.ContentReceipt{Type: pb.ContentReceipt_Type(b.Type), MessageIds: make([][]byte, len(b.Messages))}
		for i := range b.Messages {
			r.MessageIds[i] = b.Messages[i][:]
		}
		p.Body = &pb.Content_Receipt{Receipt: r}
	case *Typing:
		if b == nil {
			break
		}
		p.Body = &pb.Content_Typing{Typing: &pb.ContentTyping{Action: pb.ContentTyping_Action(b.Action)}}
	}
	if _, _, err := contentFromPB(p); err != nil {
		return nil, err
	}
	out, err := proto.MarshalOptions{Deterministic: true}.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("envelope: internal error: %w", err)
	}
	if len(out) > MaxContentSize {
		return nil, fmt.Errorf("%w: content of %d bytes (limit %d)", ErrTooLarge, len(out), MaxContentSize)
	}
	return out, nil
}

// parseContent decodes an unpadded content and the sender bound in it. It
// returns a [*ParseError] and nil values on failure.
func parseContent(b []byte) (*Content, Address, error) {
	if len(b) > MaxContentSize {
		return nil, Address{}, &ParseError{"content", "too long"}
	}
	var p pb.Content
	if err := proto.Unmarshal(b, &p); err != nil {
		return nil, Address{}, &ParseError{"content", "bad protobuf"}
	}
	return contentFromPB(&p)
}

// contentFromPB validates p and converts it; it is the single definition
// of a valid content, used when sealing and when opening.
func contentFromPB(p *pb.Content) (*Content, Address, error) {
	bad := func(reason string) (*Content, Address, error) {
		return nil, Address{}, &ParseError{"content", reason}
	}
	c := &Content{OriginApp: p.OriginApp}
	if len(p.MessageId) != MessageIDSize {
		return bad("message id is not 16 bytes")
	}
	copy(c.ID[:], p.MessageId)
	if c.ID.IsZero() {
		return bad("zero message id")
	}
	if p.SentAtMs == 0 || p.SentAtMs > 1<<53 {
		return bad("sent time out of range")
	}
	c.SentAt = time.UnixMilli(int64(p.SentAtMs))
	sender := addressFromPB(p.Sender)
	if err := sender.Validate(); err != nil {
		return bad("sender: " + err.(*ParseError).Reason)
	}
	if c.OriginApp != sender.App {
		return bad("origin app is not the sender's app")
	}
	switch b := p.Body.(type) {
	case *pb.Content_Text:
		if n := len(b.Text.GetText()); n == 0 || n > MaxTextSize || !utf8.ValidString(b.Text.GetText()) {
			return bad("text must be 1..65536 bytes of UTF-8")
		}
		c.Body = &Text{Text: b.Text.GetText()}
	case *pb.Content_Attachment:
		a := b.Attachment
		switch {
		case len(a.GetPointer()) == 0 || len(a.GetPointer()) > MaxAttachmentPointerSize || !utf8.ValidString(a.GetPointer()):
			return bad("attachment pointer must be 1..2048 bytes of UTF-8")
		case len(a.GetKey()) != AttachmentKeySize:
			return bad("attachment key is not 64 bytes")
		case len(a.GetDigest()) != AttachmentDigestSize:
			return bad("attachment digest is not 32 bytes")
		case len(a.GetContentType()) > MaxContentTypeSize || !utf8.ValidString(a.GetContentType()):
			return bad("attachment content type too long")
		}
		c.Body = &Attachment{Pointer: a.Pointer, Key: a.Key, Digest: a.Digest, Size: a.Size, ContentType: a.ContentType}
	case *pb.Content_Reaction:
		r := &Reaction{Emoji: b.Reaction.GetEmoji(), Remove: b.Reaction.GetRemove()}
		if len(b.Reaction.GetTargetMessageId()) != MessageIDSize {
			return bad("reaction target is not 16 bytes")
		}
		copy(r.Target[:], b.Reaction.GetTargetMessageId())
		if n := len(r.Emoji); n == 0 || n > MaxEmojiSize || !utf8.ValidString(r.Emoji) {
			return bad("reaction emoji must be 1..64 bytes of UTF-8")
		}
		c.Body = r
	case *pb.Content_Receipt:
		t := b.Receipt.GetType()
		if t != pb.ContentReceipt_TYPE_DELIVERY && t != pb.ContentReceipt_TYPE_READ {
			return bad("unknown receipt type")
		}
		r := &Receipt{Type: ReceiptType(t)}
		ids := b.Receipt.GetMessageIds()
		if len(ids) == 0 || len(ids) > MaxReceiptMessages {
			return bad("receipt must name 1..1024 messages")
		}
		r.Messages = make([]MessageID, len(ids))
		for i, id := range ids {
			if len(id) != MessageIDSize {
				return bad("receipt message id is not 16 bytes")
			}
			copy(r.Messages[i][:], id)
		}
		c.Body = r
	case *pb.Content_Typing:
		a := b.Typing.GetAction()
		if a != pb.ContentTyping_ACTION_STARTED && a != pb.ContentTyping_ACTION_STOPPED {
			return bad("unknown typing action")
		}
		c.Body = &Typing{Action: TypingAction(a)}
	default:
		return bad("no body, or a body type this version does not know")
	}
	return c, sender, nil
}
