-- Replacement for NeuroCoreX's tpre_ram (tpre_matrix.vhd,
-- the pre-synaptic timers, power-on value -1): the same ports and behaviour over the cells the
-- block RAM really has; see ncx_bram.vhd.
library ieee;
use ieee.std_logic_1164.all;
use ieee.numeric_std.all;

entity tpre_ram is
  port (
    clk        : in  std_logic;
    we         : in  std_logic;
    write_addr : in  unsigned(15 downto 0);
    data_in    : in  signed(7 downto 0);
    read_addr  : in  unsigned(15 downto 0);
    data_out   : out signed(7 downto 0)
  );
end entity tpre_ram;

architecture behavioural of tpre_ram is
begin
  ram : entity work.ncx_bram
    generic map (WIDTH => 8, INIT => -1)
    port map (clk => clk, we => we, write_addr => write_addr, data_in => data_in,
              read_addr => read_addr, data_out => data_out, read_addr2 => read_addr, data_out2 => open);
end architecture behavioural;
