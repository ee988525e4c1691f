package core

// The row layout every image builder of this tree uses (the compiler, hand-
// built test images): event rows in neuron order from syn word 0, each
// holding its neuron's synapses contiguously; burst rows after all event
// rows, again in neuron order, so the two kinds never share a word; plastic
// fan-in rows per target neuron in rev, each listing the target's plastic
// synapses (rule != 0) in synapse-address order. Spec section 2 allows any
// layout that keeps rows inside their memories; this one is the compact one.

// PlaceRows sets FoBase of every fanout entry from the FoCnt already counted
// and then BoBase of every burst row (bfo may be nil) from its BoCnt. It
// returns the number of syn words the rows take.
func PlaceRows(fo []Fanout, bfo []BFanout) uint32 {
	var next uint32
	for n := range fo {
		fo[n].FoBase = next
		next += fo[n].FoCnt
	}
	for n := range bfo {
		bfo[n].BoBase = next
		next += bfo[n].BoCnt
	}
	return next
}

// PlaceFanIn counts and places the plastic fan-in rows of syn, whose event
// rows fo describes: it sets FiBase and FiCnt of every neuron and returns
// the rev table (nil when no synapse is plastic).
func PlaceFanIn(fo []Fanout, syn []Synapse) []RevEntry {
	for n := range fo {
		fo[n].FiBase, fo[n].FiCnt = 0, 0
	}
	plastic := uint32(0)
	for src := range fo {
		for _, s := range syn[fo[src].FoBase : fo[src].FoBase+fo[src].FoCnt] {
			if s.Rule != 0 {
				fo[s.Tgt].FiCnt++
				plastic++
			}
		}
	}
	if plastic == 0 {
		return nil
	}
	cursor := make([]uint32, len(fo))
	var next uint32
	for n := range fo {
		fo[n].FiBase = next
		cursor[n] = next
		next += fo[n].FiCnt
	}
	rev := make([]RevEntry, plastic)
	for src := range fo {
		row := syn[fo[src].FoBase : fo[src].FoBase+fo[src].FoCnt]
		for k, s := range row {
			if s.Rule != 0 {
				rev[cursor[s.Tgt]] = RevEntry{SAddr: fo[src].FoBase + uint32(k), Src: uint32(src)}
				cursor[s.Tgt]++
			}
		}
	}
	return rev
}
