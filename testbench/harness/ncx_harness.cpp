// ncx_harness: Verilator driver for ncx_core.
//
//   ncx_harness --mem DIR --stim FILE --steps N [--out FILE] [+verilator+...]
//
// Reads the $readmemh files that core.Image.WriteMemDir writes (param.mem,
// state.mem, trace.mem, acc.mem, force.mem, fanout.mem, syn.mem, rev.mem,
// rule.mem, num_neurons.mem, and for images with burst units bparam.mem,
// bstate.mem, acca.mem, bfanout.mem, lut.mem, regs.mem = rule_kind, lfsr and
// (optional third line, else 0) rule_frac, and wfrac.mem (optional, else all
// 0; at most as many words as rev.mem)), loads them through the host port,
// then runs N steps. A core built with
// burst units (NCX_BURST=1) that gets an image without them has bparam
// cleared (no burst units), rule_kind and rule_frac 0 and lfsr 1; a core built without
// them refuses an image that has them. Line k of the stimulus file (from 1) lists the neurons forced in step
// k-1 as decimal ids separated by blanks; an empty line forces none; missing
// lines at the end force none.
//
// Output (line oriented, parsed by testbench/rtl):
//   ncx-rtl 1 nb NB sb SB rb RB vw VW
//   step S cycles T            one block per step
//   spike ID CYCLE [burst]     each spike_valid_o event, step-relative cycle,
//                              "burst" when spike_burst_o is high with it
//   state W W ...              state words of neurons 0..num_neurons-1 (hex)
//   trace W ...
//   acc W ...
//   syn W ...                  syn words 0..(lines of syn.mem)-1
//   bstate W ...               burst images only: bstate, acca of neurons
//   acca W ...                 0..num_neurons-1 and the lfsr register
//   lfsr W
//   wfrac W ...                images that use fraction bits only (rule_frac
//                              not 0 or a wfrac word not 0): wfrac words
//                              0..(lines of rev.mem)-1
//   end
//   stats cycles C seconds S   total step cycles and wall time of the steps
//
// Malformed input is rejected with a message naming the file and line and
// exit status 2; a core that does not finish a step exits with status 3.
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "Vncx_core.h"
#include "ncx_mem.h"
#include "verilated.h"

#ifndef NCX_NB
#error "build with -CFLAGS -DNCX_NB=.. -DNCX_SB=.. -DNCX_RB=.. -DNCX_VW=.. -DNCX_BURST=.."
#endif
#ifndef NCX_BURST
#define NCX_BURST 0
#endif

namespace {

constexpr int kNB = NCX_NB;
constexpr int kSB = NCX_SB;
constexpr int kRB = NCX_RB;
constexpr int kVW = NCX_VW;
constexpr bool kBurst = NCX_BURST != 0;
constexpr int kLimbs = 8;  // 256 bits, more than any memory word

using Word = std::vector<uint32_t>;

using namespace ncx;  // host_sel codes and word formats (ncx_mem.h, generated from core.MemMap)

int MemWidth(int sel) { return ncx::MemWidth(sel, kNB, kSB, kRB, kVW); }

long MemDepth(int sel) { return 1L << MemAddrBits(sel, kNB, kSB, kRB, kVW); }

[[noreturn]] void Fail(int code, const std::string& msg) {
  std::fprintf(stderr, "ncx_harness: %s\n", msg.c_str());
  std::exit(code);
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// ReadLines reads a text file; every line must end with '\n'.
std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Fail(2, path + ": cannot open: " + std::strerror(errno));
  std::stringstream ss;
  ss << in.rdbuf();
  std::string all = ss.str();
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < all.size()) {
    size_t nl = all.find('\n', pos);
    if (nl == std::string::npos) {
      Fail(2, path + ":" + std::to_string(lines.size() + 1) + ": last line has no newline");
    }
    lines.push_back(all.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}

// ParseHex parses one $readmemh word of exactly `digits` hex digits (or, when
// exact is false, 1..digits) that must fit `width` bits.
Word ParseHex(const std::string& path, size_t line, const std::string& s, int width, bool exact) {
  const int digits = (width + 3) / 4;
  const std::string where = path + ":" + std::to_string(line) + ": ";
  if (s.empty()) Fail(2, where + "empty line");
  if ((exact && static_cast<int>(s.size()) != digits) || static_cast<int>(s.size()) > digits) {
    Fail(2, where + "word \"" + s + "\" has " + std::to_string(s.size()) + " hex digits, want " +
                std::to_string(digits) + " for a " + std::to_string(width) + "-bit word");
  }
  Word w(kLimbs, 0);
  int bit = 0;
  for (size_t k = s.size(); k-- > 0;) {
    int d = HexDigit(s[k]);
    if (d < 0) Fail(2, where + "non-hex character '" + std::string(1, s[k]) + "' in \"" + s + "\"");
    for (int b = 0; b < 4; b++, bit++) {
      if ((d >> b) & 1) {
        if (bit >= width) Fail(2, where + "word \"" + s + "\" does not fit " + std::to_string(width) + " bits");
        w[bit / 32] |= 1u << (bit % 32);
      }
    }
  }
  return w;
}

std::string ToHex(const Word& w, int width) {
  static const char kHex[] = "0123456789abcdef";
  const int digits = (width + 3) / 4;
  std::string s(digits, '0');
  for (int d = 0; d < digits; d++) {
    s[digits - 1 - d] = kHex[(w[d / 8] >> ((d % 8) * 4)) & 0xf];
  }
  return s;
}

class Harness {
 public:
  Harness(VerilatedContext* ctx) : top_(new Vncx_core{ctx}) {
    top_->clk_i = 0;
    top_->rst_ni = 0;
    top_->start_i = 0;
    top_->host_we_i = 0;
    top_->host_re_i = 0;
    top_->host_sel_i = 0;
    top_->host_addr_i = 0;
    SetWData(Word(kLimbs, 0));
    top_->eval();
    Tick();
    Tick();
    top_->rst_ni = 1;
    Tick();
  }
  ~Harness() { top_->final(); }

  void Tick() {
    top_->clk_i = 1;
    top_->eval();
    top_->clk_i = 0;
    top_->eval();
  }

  void Write(int sel, uint32_t addr, const Word& w) {
    top_->host_sel_i = sel;
    top_->host_addr_i = addr;
    SetWData(w);
    top_->host_we_i = 1;
    Tick();
    top_->host_we_i = 0;
  }

  Word Read(int sel, uint32_t addr) {
    top_->host_sel_i = sel;
    top_->host_addr_i = addr;
    top_->host_re_i = 1;
    Tick();
    top_->host_re_i = 0;
    Word w(kLimbs, 0);
    for (size_t k = 0; k < sizeof(top_->host_rdata_o) / 4 && k < kLimbs; k++) w[k] = top_->host_rdata_o[k];
    return w;
  }

  struct Spike {
    uint32_t id;
    uint64_t cycle;
    bool burst;
  };

  // Step runs one step; returns its cycle count T and appends spikes.
  uint64_t Step(std::vector<Spike>* spikes, uint64_t limit) {
    if (top_->busy_o) Fail(3, "core busy before start");
    top_->start_i = 1;
    Tick();  // edge 0 samples start
    top_->start_i = 0;
    for (uint64_t c = 0;; c++) {
      if (c > 0) Tick();
      if (!top_->busy_o) Fail(3, "busy_o low in cycle " + std::to_string(c) + " before done_o");
      if (top_->spike_burst_o && !top_->spike_valid_o) {
        Fail(3, "spike_burst_o high without spike_valid_o in cycle " + std::to_string(c));
      }
      if (top_->spike_valid_o) spikes->push_back(Spike{top_->spike_id_o, c, top_->spike_burst_o != 0});
      if (top_->done_o) {
        Tick();
        if (top_->busy_o || top_->done_o) Fail(3, "core still busy one cycle after done_o");
        return c;
      }
      if (c > limit) Fail(3, "step did not finish within " + std::to_string(limit) + " cycles");
    }
  }

 private:
  void SetWData(const Word& w) {
    for (size_t k = 0; k < sizeof(top_->host_wdata_i) / 4; k++) top_->host_wdata_i[k] = k < w.size() ? w[k] : 0;
  }

  std::unique_ptr<Vncx_core> top_;
};

}  // namespace

int main(int argc, char** argv) {
  std::string memdir, stimpath, outpath;
  long steps = -1;
  // --dump final writes memory state only after the last step: the speed
  // benchmark measures the core, not the host-port read-back.
  bool dump_all = true;
  for (int k = 1; k < argc; k++) {
    std::string a = argv[k];
    if (a.rfind("+", 0) == 0) continue;  // +verilator+... and plusargs
    if (k + 1 >= argc) Fail(2, "usage: ncx_harness --mem DIR --stim FILE --steps N [--out FILE] [--dump all|final]");
    std::string v = argv[++k];
    if (a == "--mem") {
      memdir = v;
    } else if (a == "--stim") {
      stimpath = v;
    } else if (a == "--out") {
      outpath = v;
    } else if (a == "--dump") {
      if (v != "all" && v != "final") Fail(2, "bad --dump " + v + " (all or final)");
      dump_all = v == "all";
    } else if (a == "--steps") {
      char* end = nullptr;
      steps = std::strtol(v.c_str(), &end, 10);
      if (*end != '\0' || steps < 0) Fail(2, "bad --steps " + v);
    } else {
      Fail(2, "unknown option " + a);
    }
  }
  if (memdir.empty() || steps < 0) Fail(2, "usage: ncx_harness --mem DIR --stim FILE --steps N [--out FILE] [--dump all|final]");

  // An image with burst units has all of their files; a core built without
  // burst units refuses it instead of silently ignoring them.
  int present = 0;
  for (const char* b : {"bparam.mem", "bstate.mem", "acca.mem", "bfanout.mem", "lut.mem", "regs.mem"}) {
    std::ifstream probe(memdir + "/" + b);
    if (probe) {
      present++;
      if (!kBurst) Fail(2, memdir + "/" + b + ": this core is built without burst units (spec section 8)");
    }
  }
  const bool burst = present > 0;
  if (burst && present != 6) {
    Fail(2, memdir + ": an image with burst units needs bparam.mem bstate.mem acca.mem bfanout.mem lut.mem regs.mem");
  }
  const int nmems = burst ? kNumBurstMems : kNumMems;

  // Read and check every memory file before touching the model.
  std::vector<std::vector<Word>> mems(kNumBurstMems);
  for (int m = 0; m < nmems; m++) {
    const std::string path = memdir + "/" + MemName(m) + ".mem";
    std::vector<std::string> lines = ReadLines(path);
    if (static_cast<long>(lines.size()) > MemDepth(m)) {
      Fail(2, path + ": " + std::to_string(lines.size()) + " lines, but the memory has only " +
                  std::to_string(MemDepth(m)) + " words");
    }
    for (size_t k = 0; k < lines.size(); k++) mems[m].push_back(ParseHex(path, k + 1, lines[k], MemWidth(m), true));
  }
  const std::string nnpath = memdir + "/num_neurons.mem";
  std::vector<std::string> nnlines = ReadLines(nnpath);
  if (nnlines.size() != 1) Fail(2, nnpath + ": want exactly one line, have " + std::to_string(nnlines.size()));
  const uint32_t nn = ParseHex(nnpath, 1, nnlines[0], kNB + 1, false)[0];
  if (nn < 1 || nn > (1u << kNB)) Fail(2, nnpath + ":1: num_neurons " + std::to_string(nn) + " outside 1.." + std::to_string(1u << kNB));
  for (int m : {kSelParam, kSelState, kSelTrace, kSelFanout, kSelBparam, kSelBstate, kSelBfanout}) {
    if (m >= nmems) continue;
    if (mems[m].size() != nn) {
      Fail(2, memdir + "/" + MemName(m) + ".mem: " + std::to_string(mems[m].size()) +
                  " lines, want num_neurons = " + std::to_string(nn));
    }
  }

  Word rule_kind(kLimbs, 0), lfsr(kLimbs, 0), rule_frac(kLimbs, 0);
  lfsr[0] = 1;
  // wfrac (spec section 8.4): one word per rev entry, 0 where the file ends
  const size_t nrev = mems[kSelRev].size();
  std::vector<Word> wfrac(nrev, Word(kLimbs, 0));
  bool frac = false;  // the image uses fraction bits: dump wfrac after each step
  if (burst) {
    const std::string rpath = memdir + "/regs.mem";
    std::vector<std::string> rl = ReadLines(rpath);
    if (rl.size() != 2 && rl.size() != 3) {
      Fail(2, rpath + ": want 2 or 3 lines (rule_kind, lfsr, rule_frac), have " + std::to_string(rl.size()));
    }
    rule_kind = ParseHex(rpath, 1, rl[0], MemWidth(kSelRuleKind), true);
    lfsr = ParseHex(rpath, 2, rl[1], MemWidth(kSelLfsr), true);
    if (lfsr[0] == 0) Fail(2, rpath + ":2: lfsr must not be 0");
    if (rl.size() == 3) rule_frac = ParseHex(rpath, 3, rl[2], MemWidth(kSelRuleFrac), true);
    frac = rule_frac[0] != 0;
    const std::string wpath = memdir + "/" + MemName(kSelWfrac) + ".mem";
    if (std::ifstream(wpath)) {
      std::vector<std::string> wl = ReadLines(wpath);
      if (wl.size() > nrev) {
        Fail(2, wpath + ": " + std::to_string(wl.size()) + " lines, but rev.mem has only " + std::to_string(nrev));
      }
      for (size_t k = 0; k < wl.size(); k++) {
        wfrac[k] = ParseHex(wpath, k + 1, wl[k], MemWidth(kSelWfrac), true);
        frac = frac || wfrac[k][0] != 0;
      }
    }
  }

  std::vector<std::vector<uint32_t>> stim;
  if (!stimpath.empty()) {
    std::vector<std::string> lines = ReadLines(stimpath);
    if (static_cast<long>(lines.size()) > steps) {
      Fail(2, stimpath + ": " + std::to_string(lines.size()) + " lines but only " + std::to_string(steps) + " steps");
    }
    for (size_t k = 0; k < lines.size(); k++) {
      std::vector<uint32_t> ids;
      std::istringstream ls(lines[k]);
      std::string tok;
      while (ls >> tok) {
        char* end = nullptr;
        errno = 0;
        unsigned long id = std::strtoul(tok.c_str(), &end, 10);
        if (tok[0] < '0' || tok[0] > '9' || *end != '\0' || errno != 0) {
          Fail(2, stimpath + ":" + std::to_string(k + 1) + ": bad neuron id \"" + tok + "\"");
        }
        if (id >= nn) {
          Fail(2, stimpath + ":" + std::to_string(k + 1) + ": neuron " + tok + " outside " + std::to_string(nn) + " neurons");
        }
        ids.push_back(static_cast<uint32_t>(id));
      }
      stim.push_back(ids);
    }
  }

  FILE* out = stdout;
  if (!outpath.empty()) {
    out = std::fopen(outpath.c_str(), "w");
    if (!out) Fail(2, outpath + ": cannot create: " + std::strerror(errno));
  }

  auto ctx = std::make_unique<VerilatedContext>();
  ctx->commandArgs(argc, argv);
  Harness h(ctx.get());

  for (int m = 0; m < nmems; m++) {
    for (size_t a = 0; a < mems[m].size(); a++) h.Write(m, a, mems[m][a]);
  }
  if (kBurst) {
    if (!burst) {
      for (uint32_t a = 0; a < nn; a++) h.Write(kSelBparam, a, Word(kLimbs, 0));  // bu = 0: no burst units
    }
    h.Write(kSelRuleKind, 0, rule_kind);
    h.Write(kSelLfsr, 0, lfsr);
    h.Write(kSelRuleFrac, 0, rule_frac);
    // every fan-in address, so that no word a step may read is left as the
    // RAM's power-on content
    for (size_t a = 0; a < wfrac.size(); a++) h.Write(kSelWfrac, a, wfrac[a]);
  }
  Word nnw(kLimbs, 0);
  nnw[0] = nn;
  h.Write(kSelNumNeurons, 0, nnw);

  std::fprintf(out, "ncx-rtl 1 nb %d sb %d rb %d vw %d\n", kNB, kSB, kRB, kVW);
  const size_t nsyn = mems[kSelSyn].size();
  // A step takes at most C + n + 4 per spike + F + G cycles: bound it generously.
  const uint64_t limit = 64 + 8ull * nn + 2ull * (1ull << kSB) + 2ull * (1ull << kRB) + 64ull * nn;
  uint64_t total = 0;
  double seconds = 0;
  std::vector<Harness::Spike> spikes;
  Word one(kLimbs, 0);
  one[0] = 1;
  for (long s = 0; s < steps; s++) {
    if (s < static_cast<long>(stim.size())) {
      for (uint32_t id : stim[s]) h.Write(kSelForce, id, one);
    }
    spikes.clear();
    auto t0 = std::chrono::steady_clock::now();
    uint64_t t = h.Step(&spikes, limit);
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    total += t + 1;
    std::fprintf(out, "step %ld cycles %llu\n", s, static_cast<unsigned long long>(t));
    for (auto& sp : spikes) {
      std::fprintf(out, "spike %u %llu%s\n", sp.id, static_cast<unsigned long long>(sp.cycle), sp.burst ? " burst" : "");
    }
    if (!dump_all && s != steps - 1) {
      std::fprintf(out, "end\n");
      continue;
    }
    struct Dump {
      const char* name;
      int mem;
      size_t count;
    };
    std::vector<Dump> dumps = {Dump{"state", kSelState, nn}, Dump{"trace", kSelTrace, nn}, Dump{"acc", kSelAcc, nn},
                               Dump{"syn", kSelSyn, nsyn}};
    if (burst) {
      dumps.push_back(Dump{"bstate", kSelBstate, nn});
      dumps.push_back(Dump{"acca", kSelAcca, nn});
      dumps.push_back(Dump{"lfsr", kSelLfsr, 1});
    }
    if (frac) dumps.push_back(Dump{"wfrac", kSelWfrac, nrev});
    for (const Dump& d : dumps) {
      std::string line = d.name;
      for (size_t a = 0; a < d.count; a++) {
        line += ' ';
        line += ToHex(h.Read(d.mem, a), MemWidth(d.mem));
      }
      line += '\n';
      std::fputs(line.c_str(), out);
    }
    std::fprintf(out, "end\n");
  }
  std::fprintf(out, "stats cycles %llu seconds %.6f\n", static_cast<unsigned long long>(total), seconds);
  if (out != stdout && std::fclose(out) != 0) Fail(2, outpath + ": write failed");
  return 0;
}
