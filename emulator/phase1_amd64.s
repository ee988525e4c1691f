//go:build amd64 && !purego

#include "textflag.h"

// Phase 1 of spec section 4 over a range of the neuron table, in 32-bit
// lanes; see neuronTable for the packed words and phase1Scalar for the
// reference this must match bit for bit. decay(x, m) splits |x| at bit 12 so
// that no product leaves 32 bits: (|x|*m)>>12 = (|x|>>12)*m + ((|x|&4095)*m)>>12.

// kernelArgs offsets
#define A_V 0
#define A_I 8
#define A_ACC 16
#define A_ST 24
#define A_THR 32
#define A_VRESET 40
#define A_BIAS 48
#define A_DVDI 56
#define A_TP 64
#define A_BITS 72
#define A_N 80
#define A_VMIN 88
#define A_VMAX 92
#define A_FLAGS 96

// flags
#define F_NOTRACE 1 // no neuron has or gains a trace: tr stays 0, skip tdecay

// DECAY512(x, m, out): out = decay(x, m) in 16 lanes; uses Z5, Z6, K1 and
// the constants Z28 = 4095, Z29 = 0.
#define DECAY512(x, m, out) \
	VPABSD   x, Z5 \
	VPSRLD   $12, Z5, Z6 \
	VPANDD   Z28, Z5, Z5 \
	VPMULLD  m, Z6, Z6 \
	VPMULLD  m, Z5, Z5 \
	VPSRLD   $12, Z5, Z5 \
	VPADDD   Z5, Z6, out \
	VPMOVD2M x, K1 \
	VPSUBD   out, Z29, K1, out

// RESET512(tp): the spiking lanes (K3) take v1 = vreset, or where tp has
// the rsub flag (bit 24, constant Z22) v1 = sat(v1 − thr); uses K5, K6.
// |v1 − thr| < 2^30 for VW <= 29, so the 32-bit difference is exact.
#define RESET512(tp) \
	VPTESTMD  tp, Z22, K3, K5 \
	KANDNW    K3, K5, K6 \
	VMOVDQU32 (R13)(CX*4), K6, Z7 \
	VPSUBD    (R12)(CX*4), Z7, K5, Z7 \
	VPMAXSD   Z30, Z7, K5, Z7 \
	VPMINSD   Z31, Z7, K5, Z7

// RESET256(tp): Y1 = the value a spike leaves in v per lane: vreset, or
// where tp has the rsub flag (bit 24) sat(v1 − thr), v1 in Y2; uses Y4, Y5.
#define RESET256(tp) \
	VPSUBD    (R12)(CX*4), Y2, Y1 \
	VPMAXSD   Y15, Y1, Y1 \
	VPMINSD   Y14, Y1, Y1 \
	VPSLLD    $7, tp, Y4 \
	VPSRAD    $31, Y4, Y4 \
	VMOVDQU   (R13)(CX*4), Y5 \
	VPBLENDVB Y4, Y1, Y5, Y1

// DECAY256(x, m, out): out = decay(x, m) in 8 lanes; uses Y3 and the
// constant Y12 = 4095.
#define DECAY256(x, m, out) \
	VPABSD  x, Y3 \
	VPSRLD  $12, Y3, out \
	VPAND   Y12, Y3, Y3 \
	VPMULLD m, out, out \
	VPMULLD m, Y3, Y3 \
	VPSRLD  $12, Y3, Y3 \
	VPADDD  Y3, out, out \
	VPSIGND x, out, out

// Registers of both kernels: R8 v, R9 i, R10 acc, R11 st, R12 thr,
// R13 vreset, R14 bias, SI dvdi, DI tp, DX spike bitmap, BX n, CX index,
// R15 flags.
#define LOADARGS \
	MOVQ a+0(FP), DI \
	MOVQ A_V(DI), R8 \
	MOVQ A_I(DI), R9 \
	MOVQ A_ACC(DI), R10 \
	MOVQ A_ST(DI), R11 \
	MOVQ A_THR(DI), R12 \
	MOVQ A_VRESET(DI), R13 \
	MOVQ A_BIAS(DI), R14 \
	MOVQ A_DVDI(DI), SI \
	MOVQ A_BITS(DI), DX \
	MOVQ A_N(DI), BX \
	MOVL A_FLAGS(DI), R15 \
	XORQ CX, CX

// func phase1AVX512(a *kernelArgs)
TEXT ·phase1AVX512(SB), NOSPLIT, $0-8
	LOADARGS
	VPBROADCASTD A_VMIN(DI), Z30
	VPBROADCASTD A_VMAX(DI), Z31
	MOVQ A_TP(DI), DI
	VPXORD Z29, Z29, Z29 // 0
	MOVL $4095, AX
	VPBROADCASTD AX, Z28
	MOVL $0xffff, AX
	VPBROADCASTD AX, Z27
	MOVL $255, AX
	VPBROADCASTD AX, Z26
	MOVL $1, AX
	VPBROADCASTD AX, Z25
	MOVL $7, AX
	VPBROADCASTD AX, Z24
	MOVL $0x10000, AX
	VPBROADCASTD AX, Z23 // force bit
	MOVL $0x1000000, AX
	VPBROADCASTD AX, Z22 // rsub flag in tp

loop512:
	CMPQ CX, BX
	JGE  done512

	// i1 = sat(decay(i, di) + acc); acc = 0
	VMOVDQU32 (SI)(CX*4), Z0 // dvdi
	VPANDD    Z27, Z0, Z1    // dv
	VPSRLD    $16, Z0, Z2    // di
	VMOVDQU32 (R9)(CX*4), Z3 // i
	DECAY512(Z3, Z2, Z4)
	VPADDD    (R10)(CX*4), Z4, Z4
	VPMAXSD   Z30, Z4, Z4
	VPMINSD   Z31, Z4, Z4
	VMOVDQU32 Z29, (R10)(CX*4)
	VMOVDQU32 Z4, (R9)(CX*4)

	// vd = sat(decay(v, dv) + i1 + bias)
	VMOVDQU32 (R8)(CX*4), Z7 // v
	DECAY512(Z7, Z1, Z8)
	VPADDD    Z4, Z8, Z8
	VPADDD    (R14)(CX*4), Z8, Z8
	VPMAXSD   Z30, Z8, Z8
	VPMINSD   Z31, Z8, Z8

	// not refractory: v1 = vd; ref1 = max(ref-1, 0)
	VMOVDQU32 (R11)(CX*4), Z9 // st
	VPANDD    Z26, Z9, Z10    // ref
	VPTESTNMD Z26, Z9, K2     // ref == 0
	VMOVDQA32 Z8, K2, Z7
	VPSUBD    Z25, Z10, Z10
	VPMAXSD   Z29, Z10, Z10

	// spike = force | (ref == 0 & v1 >= thr)
	VPCMPD    $5, (R12)(CX*4), Z7, K2, K3
	VPTESTMD  Z23, Z9, K4
	KORW      K4, K3, K3

	TESTL     $F_NOTRACE, R15
	JNZ       notrace512

	// tr1 = tdecay(tr, tr_shift) = tr - ((tr + 2^k - 1) >> k)
	VMOVDQU32 (DI)(CX*4), Z11 // tp
	VPSRLD    $8, Z9, Z12
	VPANDD    Z26, Z12, Z12   // tr
	VPSRLD    $8, Z11, Z13
	VPANDD    Z24, Z13, Z13   // k
	VPSLLVD   Z13, Z25, Z14
	VPSUBD    Z25, Z14, Z14
	VPADDD    Z12, Z14, Z14
	VPSRLVD   Z13, Z14, Z14
	VPSUBD    Z14, Z12, Z12

	KORTESTW K3, K3
	JZ       nospike512
	// spiking lanes: v1 = vreset or v1 − thr, ref1 = tref, tr1 = min(255, tr1 + tr_inc)
	RESET512(Z11)
	VPANDD    Z26, Z11, K3, Z10
	VPSRLD    $16, Z11, Z15
	VPANDD    Z26, Z15, Z15
	VPADDD    Z15, Z12, Z15
	VPMINSD   Z26, Z15, K3, Z12

nospike512:
	VPSLLD    $8, Z12, Z12
	VPORD     Z12, Z10, Z10 // st1 = ref1 | tr1<<8, force cleared
	JMP       store512

notrace512: // traces stay 0: st1 = ref1
	KORTESTW  K3, K3
	JZ        store512
	VMOVDQU32 (DI)(CX*4), Z11 // tp
	RESET512(Z11)
	VPANDD    Z26, Z11, K3, Z10

store512:
	VMOVDQU32 Z10, (R11)(CX*4)
	VMOVDQU32 Z7, (R8)(CX*4)
	KMOVW     K3, AX
	MOVW      AX, (DX)
	ADDQ      $2, DX
	ADDQ      $16, CX
	JMP       loop512

done512:
	VZEROUPPER
	RET

// func phase1AVX2(a *kernelArgs)
TEXT ·phase1AVX2(SB), NOSPLIT, $0-8
	LOADARGS
	VPBROADCASTD A_VMIN(DI), Y15
	VPBROADCASTD A_VMAX(DI), Y14
	MOVQ A_TP(DI), DI
	VPXOR Y13, Y13, Y13 // 0
	MOVL $4095, AX
	MOVL AX, X12
	VPBROADCASTD X12, Y12
	MOVL $255, AX
	MOVL AX, X11
	VPBROADCASTD X11, Y11
	MOVL $1, AX
	MOVL AX, X10
	VPBROADCASTD X10, Y10
	MOVL $0x10000, AX
	MOVL AX, X9
	VPBROADCASTD X9, Y9 // force bit

loop256:
	CMPQ CX, BX
	JGE  done256

	// i1 = sat(decay(i, di) + acc); acc = 0
	VMOVDQU (SI)(CX*4), Y0 // dvdi
	VPSRLD  $16, Y0, Y1    // di
	VPSLLD  $16, Y0, Y0
	VPSRLD  $16, Y0, Y0    // dv
	VMOVDQU (R9)(CX*4), Y2 // i
	DECAY256(Y2, Y1, Y4)
	VPADDD  (R10)(CX*4), Y4, Y4
	VPMAXSD Y15, Y4, Y4
	VPMINSD Y14, Y4, Y4
	VMOVDQU Y13, (R10)(CX*4)
	VMOVDQU Y4, (R9)(CX*4)

	// vd = sat(decay(v, dv) + i1 + bias)
	VMOVDQU (R8)(CX*4), Y2 // v
	DECAY256(Y2, Y0, Y1)
	VPADDD  Y4, Y1, Y1
	VPADDD  (R14)(CX*4), Y1, Y1
	VPMAXSD Y15, Y1, Y1
	VPMINSD Y14, Y1, Y1

	// not refractory: v1 = vd; ref1 = max(ref-1, 0)
	VMOVDQU   (R11)(CX*4), Y3 // st
	VPAND     Y11, Y3, Y0     // ref
	VPCMPEQD  Y13, Y0, Y5     // ref == 0
	VPBLENDVB Y5, Y1, Y2, Y2
	VPSUBD    Y10, Y0, Y0
	VPMAXSD   Y13, Y0, Y0

	// spike = force | (ref == 0 & v1 >= thr)
	VMOVDQU  (R12)(CX*4), Y6
	VPCMPGTD Y2, Y6, Y6 // thr > v1
	VPANDN   Y5, Y6, Y6
	VPAND    Y9, Y3, Y7
	VPCMPEQD Y9, Y7, Y7 // force
	VPOR     Y7, Y6, Y6

	VMOVMSKPS Y6, AX
	TESTL     $F_NOTRACE, R15
	JNZ       notrace256

	// tr1 = tdecay(tr, tr_shift)
	VMOVDQU (DI)(CX*4), Y7 // tp
	VPSRLD  $8, Y3, Y3
	VPAND   Y11, Y3, Y3    // tr
	VPSLLD  $21, Y7, Y8
	VPSRLD  $29, Y8, Y8    // k
	VPSLLVD Y8, Y10, Y1
	VPSUBD  Y10, Y1, Y1
	VPADDD  Y3, Y1, Y1
	VPSRLVD Y8, Y1, Y1
	VPSUBD  Y1, Y3, Y3

	TESTL     AX, AX
	JZ        nospike256
	// spiking lanes: v1 = vreset or v1 − thr, ref1 = tref, tr1 = min(255, tr1 + tr_inc)
	RESET256(Y7)
	VPBLENDVB Y6, Y1, Y2, Y2
	VPAND     Y11, Y7, Y1
	VPBLENDVB Y6, Y1, Y0, Y0
	VPSRLD    $16, Y7, Y1
	VPAND     Y11, Y1, Y1
	VPADDD    Y3, Y1, Y1
	VPMINSD   Y11, Y1, Y1
	VPBLENDVB Y6, Y1, Y3, Y3

nospike256:
	VPSLLD  $8, Y3, Y3
	VPOR    Y3, Y0, Y0 // st1 = ref1 | tr1<<8, force cleared
	JMP     store256

notrace256: // traces stay 0: st1 = ref1
	TESTL     AX, AX
	JZ        store256
	VMOVDQU   (DI)(CX*4), Y7 // tp
	RESET256(Y7)
	VPBLENDVB Y6, Y1, Y2, Y2
	VPAND     Y11, Y7, Y1
	VPBLENDVB Y6, Y1, Y0, Y0

store256:
	VMOVDQU Y0, (R11)(CX*4)
	VMOVDQU Y2, (R8)(CX*4)
	MOVB    AX, (DX)
	INCQ    DX
	ADDQ    $8, CX
	JMP     loop256

done256:
	VZEROUPPER
	RET
