-- Replacement for NeuroCoreX's stdp_enable_matrix.vhd (entity stdp_enable_ram),
-- analysed instead of that file. The original declares 9,216 one-bit cells,
-- but Core_engine.vhd reads it at addresses past the end (e.g. 9,226) while a
-- run steps through the synapses. On the FPGA the array is a block RAM with
-- 16,384 one-bit cells (a RAMB18 in 16K x 1), all initialised to '0', so such
-- reads return '0' (or a cell written by an earlier out-of-range write); in
-- a VHDL simulator they stop the run with an index error. This entity is the
-- original's behaviour (synchronous write, synchronous read of the old value)
-- over the 16,384 cells the hardware has; addresses keep their low 14 bits,
-- as the BRAM's address pins do. Nothing else differs.
--
-- The harness can write and read the cells between runs (ncx_backdoor.vhd).
library ieee;
use ieee.std_logic_1164.all;
use ieee.numeric_std.all;
use work.ncx_backdoor.all;

entity stdp_enable_ram is
  port (
    clk        : in  std_logic;
    we         : in  std_logic;
    write_addr : in  unsigned(15 downto 0);
    data_in    : in  std_logic;
    read_addr  : in  unsigned(15 downto 0);
    data_out   : out std_logic
  );
end entity stdp_enable_ram;

architecture behavioural of stdp_enable_ram is
  type cells_t is array (0 to 16383) of std_logic;
  signal ram : cells_t := (others => '0');
  constant ID : natural := ram_id(ram'path_name);
begin
  process (clk)
  begin
    if rising_edge(clk) then
      if we = '1' then
        ram(to_integer(write_addr(13 downto 0))) <= data_in;
      end if;
      data_out <= ram(to_integer(read_addr(13 downto 0)));
      if backdoor.pending(ID) then
        for a in cells_t'range loop
          if backdoor.has(ID, a) then
            if backdoor.value(ID, a) /= 0 then
              ram(a) <= '1';
            else
              ram(a) <= '0';
            end if;
          end if;
        end loop;
        backdoor.clear(ID);
      end if;
      if backdoor.dump_wanted(ID) then
        for a in cells_t'range loop
          if ram(a) = '1' then
            backdoor.put(ID, a, 1);
          else
            backdoor.put(ID, a, 0);
          end if;
        end loop;
      end if;
    end if;
  end process;
end architecture behavioural;
