-- Replacement for NeuroCoreX's stdp_enable_ram (stdp_enable_matrix.vhd, the
-- one-bit STDP enables, power-on value '0'): the same ports and behaviour over
-- the cells the block RAM really has; see ncx_bram.vhd. The bit is held in a
-- two-bit cell of ncx_bram so that the harness reads a set enable back as 1
-- (a one-bit signed cell would read -1); the upper bit is always '0'.
library ieee;
use ieee.std_logic_1164.all;
use ieee.numeric_std.all;

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
  signal high : signed(0 downto 0); -- the cell's upper bit, never read
begin
  ram : entity work.ncx_bram
    generic map (WIDTH => 2, INIT => 0)
    port map (clk => clk, we => we, write_addr => write_addr, data_in(1) => '0', data_in(0) => data_in,
              read_addr => read_addr, data_out(1) => high(0), data_out(0) => data_out,
              read_addr2 => read_addr, data_out2 => open);
end architecture behavioural;
