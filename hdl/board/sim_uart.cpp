// Verilator harness for the ncx board tops: the board's UART pins become a
// byte stream on stdin/stdout. Bytes read from stdin are sent bit by bit
// (8N1, LSB first, --div clock cycles a bit) into the RX pin; the TX pin is
// sampled by a software UART receiver at the same rate and every byte it
// decodes is written to stdout. The simulation ends when stdin is closed
// and the line is idle. Build: see driver/rtlboard.
//
//   sim_uart --div 4
//
// Byte captures for refactoring the board: with NCX_UART_RECORD=<file> the
// harness writes to <file>.<pid> one line per stdin chunk ("H <board bytes
// seen so far> <cycle> <hex>") and one per board byte ("B <cycle> <hex>").
// With NCX_UART_REPLAY=<file> it ignores stdin, sends each recorded chunk at
// its cycle, or later when the board has not yet sent as many bytes as it
// had then, and writes the "B" lines to stdout: a deterministic,
// cycle-stamped capture of a session to compare two builds of the board byte
// for byte and cycle for cycle.
//
// The top is the iCEBreaker's (Vncx_icebreaker: pins CLK, RX, TX, BTN_N
// active low) unless NCX_CMODA7 is defined: then the CMod A7's
// (Vncx_cmoda7: sysclk, uart_txd_in, uart_rxd_out, btn0 active high).
#include <deque>
#include <vector>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>
#include <signal.h>
#include <errno.h>

#include "verilated.h"
#ifdef NCX_CMODA7
#include "Vncx_cmoda7.h"
typedef Vncx_cmoda7 Top;
#define PIN_CLK sysclk
#define PIN_RX uart_txd_in
#define PIN_TX uart_rxd_out
#define PIN_RST btn0
#define RST_IDLE 0
#else
#include "Vncx_icebreaker.h"
typedef Vncx_icebreaker Top;
#define PIN_CLK CLK
#define PIN_RX RX
#define PIN_TX TX
#define PIN_RST BTN_N
#define RST_IDLE 1
#endif

int main(int argc, char** argv) {
  Verilated::commandArgs(argc, argv);
  int div = 4;
  for (int i = 1; i + 1 < argc; i++) {
    if (!strcmp(argv[i], "--div")) div = atoi(argv[i + 1]);
  }
  if (div < 4) {
    fprintf(stderr, "sim_uart: --div must be at least 4\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
  FILE* rec = nullptr;
  if (const char* p = getenv("NCX_UART_RECORD")) {
    char name[4096];
    snprintf(name, sizeof name, "%s.%d", p, (int)getpid());
    rec = fopen(name, "w");
  }
  // replay: chunks of host bytes, chunk i sent from cycle at[i] on, once the board has sent after[i] bytes
  std::vector<uint64_t> after, at;
  std::vector<std::vector<uint8_t>> chunks;
  bool replay = false;
  if (const char* p = getenv("NCX_UART_REPLAY")) {
    FILE* f = fopen(p, "r");
    if (!f) {
      fprintf(stderr, "sim_uart: cannot open %s\n", p);
      return 2;
    }
    replay = true;
    char line[1 << 16];
    while (fgets(line, sizeof line, f)) {
      unsigned long long n, c0;
      char hex[1 << 16];
      if (sscanf(line, "H %llu %llu %65535s", &n, &c0, hex) != 3) continue;
      std::vector<uint8_t> c;
      for (size_t i = 0; hex[i] && hex[i + 1]; i += 2) {
        unsigned v;
        sscanf(hex + i, "%2x", &v);
        c.push_back((uint8_t)v);
      }
      after.push_back(n);
      at.push_back(c0);
      chunks.push_back(c);
    }
    fclose(f);
  }
  size_t next_chunk = 0;
  uint64_t sent = 0, last_out = 0;

  Top* top = new Top;
  top->PIN_CLK = 0;
  top->PIN_RX = 1;
  top->PIN_RST = RST_IDLE;
  top->eval();

  std::deque<uint8_t> in;
  std::vector<uint8_t> out;
  bool eof = false;
  // transmitter into RX
  int tx_bit = -1, tx_cnt = 0;
  uint32_t tx_frame = 0;
  // receiver on TX
  bool rcv = false;
  int rcv_cnt = 0, rcv_bit = 0;
  uint8_t rcv_byte = 0;
  uint64_t cyc = 0;
  uint8_t buf[4096];

  for (;;) {
    if (replay) {
      while (next_chunk < chunks.size() && sent >= after[next_chunk] && cyc >= at[next_chunk]) {
        in.insert(in.end(), chunks[next_chunk].begin(), chunks[next_chunk].end());
        next_chunk++;
      }
      // done: every chunk sent and two million quiet cycles
      if (next_chunk == chunks.size() && in.empty() && tx_bit < 0 && !rcv && cyc - last_out > 2000000) break;
      if (cyc - last_out > 200000000 && (at.empty() || cyc > at.back())) {
        fprintf(stderr, "sim_uart: replay stuck before chunk %zu of %zu\n", next_chunk, chunks.size());
        break;
      }
    } else if ((cyc & 127) == 0) {
      if (!eof) {
        ssize_t n = read(0, buf, sizeof buf);
        if (n > 0) {
          in.insert(in.end(), buf, buf + n);
          if (rec) {
            fprintf(rec, "H %llu %llu ", (unsigned long long)sent, (unsigned long long)cyc);
            for (ssize_t i = 0; i < n; i++) fprintf(rec, "%02x", buf[i]);
            fprintf(rec, "\n");
          }
        } else if (n == 0) {
          eof = true;
        } else if (errno != EAGAIN && errno != EWOULDBLOCK) {
          eof = true;
        }
      }
      if (!out.empty()) {
        size_t off = 0;
        while (off < out.size()) {
          ssize_t n = write(1, out.data() + off, out.size() - off);
          if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) continue;
            return 0;  // the host went away
          }
          off += (size_t)n;
        }
        out.clear();
      }
      if (eof && in.empty() && tx_bit < 0 && !rcv) break;
    }
    if (tx_bit < 0 && !in.empty()) {
      tx_frame = (1u << 9) | ((uint32_t)in.front() << 1);  // stop, data, start
      in.pop_front();
      tx_bit = 0;
      tx_cnt = 0;
    }
    top->PIN_RX = tx_bit < 0 ? 1 : (tx_frame >> tx_bit) & 1;
    if (tx_bit >= 0 && ++tx_cnt == div) {
      tx_cnt = 0;
      if (++tx_bit == 10) tx_bit = -1;
    }
    top->PIN_CLK = 1;
    top->eval();
    top->PIN_CLK = 0;
    top->eval();
    cyc++;
    int line = top->PIN_TX;
    if (!rcv) {
      if (!line) {  // start bit: sample every bit in its middle
        rcv = true;
        rcv_cnt = div / 2;
        rcv_bit = 0;
        rcv_byte = 0;
      }
    } else if (--rcv_cnt == 0) {
      rcv_cnt = div;
      if (rcv_bit == 0) {
        if (line) rcv = false;  // a glitch
      } else if (rcv_bit <= 8) {
        rcv_byte |= (uint8_t)(line << (rcv_bit - 1));
      } else {
        if (line) {
          sent++;
          last_out = cyc;
          if (rec) fprintf(rec, "B %llu %02x\n", (unsigned long long)cyc, rcv_byte);
          if (replay) {
            printf("B %llu %02x\n", (unsigned long long)cyc, rcv_byte);
          } else {
            out.push_back(rcv_byte);
          }
        }
        rcv = false;
      }
      rcv_bit++;
    }
  }
  if (rec) fclose(rec);
  top->final();
  delete top;
  return 0;
}
