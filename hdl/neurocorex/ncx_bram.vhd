-- Block RAM with one write port and two synchronous read ports, used by the
-- replacements of NeuroCoreX's five synapse RAM entities (weight_ram,
-- weight_ram_FF, tpre_ram, apre_ram, stdp_enable_ram; files weight_ram.vhd
-- etc. here).
--
-- Why they are replaced: NeuroCoreX declares each of these RAMs with 9,216
-- cells (96 x 96) but Core_engine.vhd computes read addresses past the end,
-- e.g. (95+1)*96 + k for the STDP pass of slot 95, which a VHDL simulator
-- stops at. On the FPGA the arrays are block RAMs addressed by 14 bits, whose
-- cells past 9,215 exist, are initialised to zero by Vivado (the array's
-- initial value covers only cells 0..9,215) and return what was last written
-- there. This entity models that: CELLS cells, the low 14 address bits
-- used, cells below USED start at INIT and the rest at zero, each read port
-- returns the cell's value from before a write in the same cycle (a signal
-- read in the writing process, as in the originals). Nothing else differs.
-- How Vivado actually packs 9,216 words into BRAM36 primitives decides what
-- an out-of-range read returns on a real board; zero-initialised spare cells
-- are a modelling choice, listed in docs/neurocorex.md.
--
-- The cells can also be written and read by the harness (ncx_backdoor.vhd)
-- between runs.
library ieee;
use ieee.std_logic_1164.all;
use ieee.numeric_std.all;
use work.ncx_backdoor.all;

entity ncx_bram is
  generic (
    WIDTH : positive;
    INIT  : integer;
    USED  : positive := 9216;
    CELLS : positive := 16384
  );
  port (
    clk        : in  std_logic;
    we         : in  std_logic;
    write_addr : in  unsigned(15 downto 0);
    data_in    : in  signed(WIDTH-1 downto 0);
    read_addr  : in  unsigned(15 downto 0);
    data_out   : out signed(WIDTH-1 downto 0);
    read_addr2 : in  unsigned(15 downto 0);
    data_out2  : out signed(WIDTH-1 downto 0)
  );
end entity ncx_bram;

architecture behavioural of ncx_bram is
  type cells_t is array (0 to CELLS-1) of signed(WIDTH-1 downto 0);
  function initial return cells_t is
    variable c : cells_t := (others => (others => '0'));
  begin
    for i in 0 to USED-1 loop
      c(i) := to_signed(INIT, WIDTH);
    end loop;
    return c;
  end function;
  signal ram : cells_t := initial;
  constant ID : natural := ram_id(ram'path_name);
  function cell(a : unsigned(15 downto 0)) return natural is
  begin
    return to_integer(a) mod CELLS;
  end function;
begin
  process (clk)
  begin
    if rising_edge(clk) then
      if we = '1' then
        ram(cell(write_addr)) <= data_in;
      end if;
      data_out <= ram(cell(read_addr));
      data_out2 <= ram(cell(read_addr2));
      if backdoor.pending(ID) then
        for a in 0 to CELLS - 1 loop
          if backdoor.has(ID, a) then
            ram(a) <= to_signed(backdoor.value(ID, a), WIDTH);
          end if;
        end loop;
        backdoor.clear(ID);
      end if;
      if backdoor.dump_wanted(ID) then
        for a in 0 to CELLS - 1 loop
          backdoor.put(ID, a, to_integer(ram(a)));
        end loop;
      end if;
    end if;
  end process;
end architecture behavioural;
