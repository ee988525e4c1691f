package compiler

import "math"

var (
	mathExp   = math.Exp
	mathRound = math.Round
)
