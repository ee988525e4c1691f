-- Replacement for NeuroCoreX's apre_ram (apre_matrix.vhd,
-- the pre-synaptic flags, power-on value 0): the same ports and behaviour over the cells the
-- block RAM really has; see ncx_bram.vhd.
library ieee;
use ieee.std_logic_1164.all;
use ieee.numeric_std.all;

entity apre_ram is
  port (
    clk        : in  std_logic;
    we         : in  std_logic;
    write_addr : in  unsigned(15 downto 0);
    data_in    : in  signed(1 downto 0);
    read_addr  : in  unsigned(15 downto 0);
    data_out   : out signed(1 downto 0)
  );
end entity apre_ram;

architecture behavioural of apre_ram is
begin
  ram : entity work.ncx_bram
    generic map (WIDTH => 2, INIT => 0)
    port map (clk => clk, we => we, write_addr => write_addr, data_in => data_in,
              read_addr => read_addr, data_out => data_out, read_addr2 => read_addr, data_out2 => open);
end architecture behavioural;
