package core

import "fmt"

// This file holds the codes of the wire protocol (docs/protocol.md) that
// the host (package driver, driver/sim) and the RTL board (hdl/board) share:
// versions, command and board-frame bytes, NAK reasons and INFO feature
// bits. hdl/board/ncx_proto.vh and the code columns of docs/protocol.md are
// generated from the tables below (internal/cmd/ncxgen); a test checks that
// every constant has its table row.

// ProtocolVersion is the wire protocol version the host (package driver)
// speaks. It also talks to boards that speak MinProtocol (version 1, which
// has no feature bits and no burst memories) and version 2 (no CRC-32C
// frames, no READ_SUM). What a board speaks is its own: the RTL board
// (hdl/board) speaks version 2.
const (
	ProtocolVersion = 3
	MinProtocol     = 1
)

// Code is one protocol code and its name in docs/protocol.md.
type Code struct {
	Value uint16
	Name  string
	// Text is how error messages put it (NAK reasons).
	Text string
}

// Commands, host to board.
const (
	CmdReset         = 0x01
	CmdIdentify      = 0x02
	CmdWriteMem      = 0x03
	CmdReadMem       = 0x04
	CmdSetNumNeurons = 0x05
	CmdRun           = 0x06
	CmdStop          = 0x07
	CmdStreamIn      = 0x08
	CmdStatus        = 0x09
	CmdReadOut       = 0x0A
	CmdReadSum       = 0x0B // protocol 3, FeatSum
)

// Frames, board to host. Replies carry the seq of the command they answer;
// events (Out, Done) carry the board's own event counter.
const (
	CmdAck         = 0x80
	CmdNak         = 0x81
	CmdInfo        = 0x82 // reply to Identify
	CmdData        = 0x84 // reply to ReadMem
	CmdStatusReply = 0x89 // reply to Status
	CmdOutReply    = 0x8A // reply to ReadOut
	CmdSum         = 0x8B // reply to ReadSum
	CmdOut         = 0x90 // event: output step records
	CmdDone        = 0x91 // event: the run ended
)

// Commands lists every command and board frame byte.
var Commands = []Code{
	{CmdReset, "RESET", ""}, {CmdIdentify, "IDENTIFY", ""}, {CmdWriteMem, "WRITE_MEM", ""}, {CmdReadMem, "READ_MEM", ""},
	{CmdSetNumNeurons, "SET_NUM_NEURONS", ""}, {CmdRun, "RUN", ""}, {CmdStop, "STOP", ""}, {CmdStreamIn, "STREAM_IN", ""},
	{CmdStatus, "STATUS", ""}, {CmdReadOut, "READ_OUT", ""}, {CmdReadSum, "READ_SUM", ""},
	{CmdAck, "ACK", ""}, {CmdNak, "NAK", ""}, {CmdInfo, "INFO", ""}, {CmdData, "DATA", ""}, {CmdStatusReply, "STATUS_REPLY", ""},
	{CmdOutReply, "OUT_REPLY", ""}, {CmdSum, "SUM", ""}, {CmdOut, "OUT", ""}, {CmdDone, "DONE", ""},
}

// NAK reasons (first payload byte of a Nak frame).
const (
	NakCRC        = 1 // a corrupted frame arrived; resend from Expect
	NakOrder      = 2 // a frame after a lost one arrived; resend from Expect
	NakBadCmd     = 3 // unknown command
	NakBadArg     = 4 // bad memory, address, count or length
	NakRunning    = 5 // memory access while a run is in progress
	NakNoSpace    = 6 // input buffer full; resend the same frame later
	NakBadState   = 7 // memory contents cannot run, or command needs a run
	NakNotRunning = 8 // StreamIn or Stop without a run
)

// NakReasons lists every NAK reason with its name in docs/protocol.md.
var NakReasons = []Code{
	{NakCRC, "crc", "CRC error"}, {NakOrder, "order", "out of order"}, {NakBadCmd, "unknown command", "unknown command"},
	{NakBadArg, "bad argument", "bad argument"}, {NakRunning, "running", "core is running"},
	{NakNoSpace, "no space", "input buffer full"}, {NakBadState, "bad state", "bad state"},
	{NakNotRunning, "not running", "no run in progress"},
}

// Feature bits of INFO (protocol 2): what a board implements beyond the
// commands every board has (RESET, IDENTIFY, WRITE_MEM, READ_MEM,
// SET_NUM_NEURONS, RUN, STREAM_IN).
const (
	FeatBurst   = 1 << 0 // burst-unit memories 9..13 and registers 14, 16 (spec section 8)
	FeatReadOut = 1 << 1 // READ_OUT and an output log
	FeatStop    = 1 << 2 // STOP
	FeatStatus  = 1 << 3 // STATUS
	FeatSum     = 1 << 4 // READ_SUM: the board's CRC-32C of a memory range (protocol 3)
	FeatCRC32   = 1 << 5 // CRC-32C frames (SyncWide) in both directions (protocol 3)
	// FeatsV1 is what every protocol 1 board implements.
	FeatsV1 = FeatReadOut | FeatStop | FeatStatus
)

// Features lists every INFO feature bit.
var Features = []Code{{FeatBurst, "BURST", ""}, {FeatReadOut, "READ_OUT", ""}, {FeatStop, "STOP", ""}, {FeatStatus, "STATUS", ""},
	{FeatSum, "SUM", ""}, {FeatCRC32, "CRC32", ""}}

func lookup(codes []Code, v uint16) (Code, bool) {
	for _, c := range codes {
		if c.Value == v {
			return c, true
		}
	}
	return Code{}, false
}

// CmdName names a command or board frame byte.
func CmdName(c uint8) string {
	if c, ok := lookup(Commands, uint16(c)); ok {
		return c.Name
	}
	return fmt.Sprintf("CMD_%02X", c)
}

// NakText says what a NAK reason means, for error messages.
func NakText(r uint8) string {
	if c, ok := lookup(NakReasons, uint16(r)); ok {
		return c.Text
	}
	return fmt.Sprintf("reason %d", r)
}
