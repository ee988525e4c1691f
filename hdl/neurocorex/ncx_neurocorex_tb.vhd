-- Harness around NeuroCoreX's top entity "main": a host on its UART pins,
-- controlled line by line over stdin/stdout so that a program (driver/ncxvhdl)
-- decides how far simulated time advances. The simulator blocks on stdin
-- between commands, so it never runs ahead of the host and burns no CPU while
-- the host is idle, and a session is deterministic: the same commands give
-- the same bytes.
--
-- Commands (one a line):
--   run CYCLES [HEX]   queue the bytes HEX for the RX pin, then advance
--                      CYCLES periods of the 100 MHz design clock; replies
--                      "ok QUEUED FRAMING HEX": bytes still waiting to be
--                      sent, framing errors seen on TX so far, and the bytes
--                      the host received on TX meanwhile
--   poke ID ADDR HEX   write the bytes HEX (two's complement) into cells
--                      ADDR, ADDR+1, ... of synapse RAM ID (ncx_backdoor.vhd)
--                      at the next clock edge; only while the RX pin is
--                      idle; advances one cycle and replies "ok"
--   dump               advances one cycle and replies "dump HEX": cells
--                      0..9,215 of RAMs 1..8, one byte each, in id order
--   quit               end the simulation
--
-- The RX pin is driven as a 1 Mbaud host does it: 8N1, LSB first, 1 us a bit,
-- frames back to back while bytes are queued. TX is sampled as a 1 Mbaud host
-- UART does: the middle of the start bit 0.5 us after its falling edge, then
-- every 1 us; a stop bit that is not '1' counts as a framing error (the byte
-- is still delivered). The 12 MHz CLK pin is held at '0': the clk_wiz_0
-- stand-in generates the 100 MHz clock on its own (see clk_wiz_0.vhd).
library ieee;
use ieee.std_logic_1164.all;
use ieee.numeric_std.all;
use std.textio.all;
use std.env.all;
use work.ncx_backdoor.all;

entity ncx_neurocorex_tb is
end entity ncx_neurocorex_tb;

architecture sim of ncx_neurocorex_tb is
  constant CYCLE : time := 10 ns;
  constant BIT_T : time := 1000 ns;

  type rx_bytes is protected
    procedure push(b : natural);
    procedure framing_error;
    impure function framing return natural;
    impure function take_hex return string;
  end protected rx_bytes;

  type rx_bytes is protected body
    type buf_t is array (0 to 65535) of natural range 0 to 255;
    variable buf : buf_t;
    variable n : natural := 0;
    variable ferr : natural := 0;
    procedure push(b : natural) is
    begin
      assert n <= buf'high report "ncx harness: more than 65536 TX bytes between two commands" severity failure;
      buf(n) := b;
      n := n + 1;
    end procedure;
    procedure framing_error is
    begin
      ferr := ferr + 1;
    end procedure;
    impure function framing return natural is
    begin
      return ferr;
    end function;
    impure function take_hex return string is
      constant digits : string(1 to 16) := "0123456789abcdef";
      variable s : string(1 to 2 * n);
    begin
      for i in 0 to n - 1 loop
        s(2 * i + 1) := digits(buf(i) / 16 + 1);
        s(2 * i + 2) := digits(buf(i) mod 16 + 1);
      end loop;
      n := 0;
      return s;
    end function;
  end protected body rx_bytes;

  shared variable received : rx_bytes;

  signal clk12 : std_logic := '0';
  signal rxd   : std_logic := '1';
  signal txd   : std_logic;
begin
  dut : entity work.main
    port map (CLK => clk12, UART_RXD => rxd, UART_TXD => txd);

  host_rx : process
    variable b : natural;
  begin
    wait until falling_edge(txd);
    wait for BIT_T / 2;
    if txd = '0' then
      b := 0;
      for i in 0 to 7 loop
        wait for BIT_T;
        if txd = '1' then
          b := b + 2 ** i;
        end if;
      end loop;
      wait for BIT_T;
      if txd /= '1' then
        received.framing_error;
      end if;
      received.push(b);
    end if;
  end process;

  host_ctl : process
    type queue_t is array (natural range <>) of natural range 0 to 255;
    variable q : queue_t(0 to 2 ** 20 - 1);
    variable qh, qn : natural := 0;   -- head index and number of queued bytes
    variable frame : std_logic_vector(9 downto 0);
    variable bitpos : integer := -1;  -- bit of frame on the pin, -1 when idle
    variable edge : time := 0 ns;     -- when the next bit starts
    variable l, o : line;
    variable word : string(1 to 8);
    variable wlen : natural;
    variable c : character;
    variable ok : boolean;
    variable cycles, nib, byte_v, digits_n : natural;
    variable ram, addr : natural;
    variable buf : queue_t(0 to 2 ** 20 - 1);
    variable nbytes : natural;
    variable target : time;
    constant hexdigits : string(1 to 16) := "0123456789abcdef";
    variable dumped : string(1 to 2 * RAMS * 9216);

    function hexval(ch : character) return integer is
    begin
      case ch is
        when '0' to '9' => return character'pos(ch) - character'pos('0');
        when 'a' to 'f' => return character'pos(ch) - character'pos('a') + 10;
        when 'A' to 'F' => return character'pos(ch) - character'pos('A') + 10;
        when others => return -1;
      end case;
    end function;

    -- hex_bytes decodes the rest of line l, hex digits two a byte (spaces
    -- ignored), into buf(0 to nbytes-1) and frees the line. It indexes the
    -- line rather than read() it a character at a time, which copies the
    -- rest of the line every time.
    procedure hex_bytes is
    begin
      nbytes := 0;
      digits_n := 0;
      byte_v := 0;
      for i in l'range loop
        c := l(i);
        if c /= ' ' then
          nib := hexval(c);
          assert hexval(c) >= 0 report "ncx harness: bad hex digit" severity failure;
          byte_v := byte_v * 16 + nib;
          digits_n := digits_n + 1;
          if digits_n = 2 then
            assert nbytes <= buf'high report "ncx harness: line too long" severity failure;
            buf(nbytes) := byte_v;
            nbytes := nbytes + 1;
            digits_n := 0;
            byte_v := 0;
          end if;
        end if;
      end loop;
      deallocate(l);
    end procedure;

    procedure next_frame is
    begin
      if qn > 0 then
        frame := '1' & std_logic_vector(to_unsigned(q(qh), 8)) & '0';
        qh := (qh + 1) mod q'length;
        qn := qn - 1;
        bitpos := 0;
        rxd <= frame(0);
        edge := now + BIT_T;
      else
        bitpos := -1;
      end if;
    end procedure;
  begin
    loop
      if endfile(input) then
        finish;
      end if;
      readline(input, l);
      -- first word
      wlen := 0;
      while l'length > 0 loop
        read(l, c);
        exit when c = ' ';
        if wlen < word'length then
          wlen := wlen + 1;
          word(wlen) := c;
        end if;
      end loop;
      if word(1 to wlen) = "quit" then
        finish;
      end if;
      if word(1 to wlen) = "poke" or word(1 to wlen) = "dump" then
        assert qn = 0 and bitpos < 0 report "ncx harness: " & word(1 to wlen) & " while the RX pin is busy" severity failure;
        if word(1 to wlen) = "poke" then
          read(l, ram, ok);
          assert ok and ram >= 1 and ram <= RAMS report "ncx harness: poke needs a RAM id 1..8" severity failure;
          read(l, addr, ok);
          assert ok report "ncx harness: poke needs an address" severity failure;
          hex_bytes;
          for i in 0 to nbytes - 1 loop
            if buf(i) >= 128 then
              backdoor.poke(ram, (addr + i) mod CELLS, buf(i) - 256);
            else
              backdoor.poke(ram, (addr + i) mod CELLS, buf(i));
            end if;
          end loop;
          wait for CYCLE;
          write(o, string'("ok"));
        else
          deallocate(l);
          backdoor.want_dump;
          wait for CYCLE;
          for id in 1 to RAMS loop
            for a in 0 to 9215 loop
              byte_v := backdoor.dumped(id, a) mod 256;
              dumped(2 * ((id - 1) * 9216 + a) + 1) := hexdigits(byte_v / 16 + 1);
              dumped(2 * ((id - 1) * 9216 + a) + 2) := hexdigits(byte_v mod 16 + 1);
            end loop;
          end loop;
          write(o, string'("dump "));
          write(o, dumped);
        end if;
        writeline(output, o);
        flush(output);
        next;
      end if;
      assert word(1 to wlen) = "run" report "ncx harness: unknown command " & word(1 to wlen) severity failure;
      read(l, cycles, ok);
      assert ok report "ncx harness: run needs a cycle count" severity failure;
      hex_bytes;
      for i in 0 to nbytes - 1 loop
        assert qn < q'length report "ncx harness: RX queue overflow" severity failure;
        q((qh + qn) mod q'length) := buf(i);
        qn := qn + 1;
      end loop;
      target := now + cycles * CYCLE;
      if bitpos < 0 then
        next_frame;
      end if;
      while now < target loop
        if bitpos >= 0 and edge <= target then
          wait for edge - now;
          bitpos := bitpos + 1;
          if bitpos = 10 then
            next_frame;
          else
            rxd <= frame(bitpos);
            edge := now + BIT_T;
          end if;
        else
          wait for target - now;
        end if;
      end loop;
      write(o, string'("ok "));
      write(o, qn + boolean'pos(bitpos >= 0)); -- the byte on the pin counts as queued
      write(o, ' ');
      write(o, received.framing);
      write(o, ' ');
      write(o, received.take_hex);
      writeline(output, o);
      flush(output);
    end loop;
  end process;
end architecture sim;
