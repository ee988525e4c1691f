-- Backdoor to the synapse RAM stand-ins, for the harness's "poke" and
-- "dump" commands (ncx_neurocorex_tb.vhd). A random differential test that
-- uploaded its weights and STDP-enable bits over the UART would spend
-- 18.4M + 6M cycles (minutes of simulation) per program; the harness writes
-- the cells directly instead, between runs, and reads every RAM back after
-- a run to compare the STDP state with the Go model. The UART loaders are
-- exercised by the end-to-end tests.
--
-- RAM ids, found from each instance's path in Core_engine.vhd: 1 AA
-- weights, 2 FF weights, 3 AA enable bits, 4 FF enable bits, 5 AA tpre,
-- 6 FF tpre, 7 AA apre, 8 FF apre. A poke is queued here and applied by
-- the RAM at its next clock edge; a dump request is served the same way.
library ieee;
use ieee.std_logic_1164.all;

package ncx_backdoor is
  constant RAMS  : positive := 8;
  constant CELLS : positive := 16384;

  type store is protected
    procedure poke(id, addr, v : integer);
    impure function pending(id : integer) return boolean;
    impure function has(id, addr : integer) return boolean;
    impure function value(id, addr : integer) return integer;
    procedure clear(id : integer);
    procedure want_dump;
    impure function dump_wanted(id : integer) return boolean;
    procedure put(id, addr, v : integer);
    impure function dumped(id, addr : integer) return integer;
  end protected store;

  shared variable backdoor : store;

  -- ram_id returns the id of the RAM whose instance path is p (0: none).
  function ram_id(p : string) return natural;
end package ncx_backdoor;

package body ncx_backdoor is
  type store is protected body
    type cells_t is array (1 to RAMS, 0 to CELLS - 1) of integer;
    type flags_t is array (1 to RAMS) of boolean;
    constant NONE : integer := integer'low;
    variable queued : cells_t := (others => (others => NONE));
    variable any : flags_t := (others => false);
    variable dumps : flags_t := (others => false);
    variable image : cells_t := (others => (others => 0));

    procedure poke(id, addr, v : integer) is
    begin
      queued(id, addr) := v;
      any(id) := true;
    end procedure;
    impure function pending(id : integer) return boolean is
    begin
      return id >= 1 and id <= RAMS and any(id);
    end function;
    impure function has(id, addr : integer) return boolean is
    begin
      return queued(id, addr) /= NONE;
    end function;
    impure function value(id, addr : integer) return integer is
    begin
      return queued(id, addr);
    end function;
    procedure clear(id : integer) is
    begin
      for a in 0 to CELLS - 1 loop
        queued(id, a) := NONE;
      end loop;
      any(id) := false;
    end procedure;
    procedure want_dump is
    begin
      dumps := (others => true);
    end procedure;
    impure function dump_wanted(id : integer) return boolean is
      variable w : boolean;
    begin
      if id < 1 or id > RAMS then
        return false;
      end if;
      w := dumps(id);
      dumps(id) := false;
      return w;
    end function;
    procedure put(id, addr, v : integer) is
    begin
      image(id, addr) := v;
    end procedure;
    impure function dumped(id, addr : integer) return integer is
    begin
      return image(id, addr);
    end function;
  end protected body store;

  function has_elem(p, name : string) return boolean is
    constant a : string := ":" & name & "@";
    constant b : string := ":" & name & ":";
  begin
    for j in p'low to p'high - a'length + 1 loop
      if p(j to j + a'length - 1) = a or p(j to j + b'length - 1) = b then
        return true;
      end if;
    end loop;
    return false;
  end function;

  function ram_id(p : string) return natural is
    type names_t is array (1 to RAMS) of string(1 to 18);
    constant names : names_t := ("aa_weight_ram     ", "ff_weight_ram     ", "stdp_enable_ram_aa",
                                 "stdp_enable_ram_ff", "tpre_ram_aa       ", "tpre_ram_ff       ",
                                 "apre_ram_aa       ", "apre_ram_ff       ");
    variable len : natural;
  begin
    for id in names'range loop
      len := 0;
      while len < 18 and names(id)(len + 1) /= ' ' loop
        len := len + 1;
      end loop;
      if has_elem(p, names(id)(1 to len)) then
        return id;
      end if;
    end loop;
    return 0;
  end function;
end package body ncx_backdoor;
