-- Stand-in for NeuroCoreX's fifo_generator_1 (the v, Isyn and Isyn_FF FIFOs
-- of LIF_unit.vhd): common clock, block RAM, standard read mode (one cycle of
-- read latency), 18 bits x 1024, synchronous reset, full/empty.
-- Behaviour and modelling choices: ncx_sync_fifo.vhd.
library ieee;
use ieee.std_logic_1164.all;

entity fifo_generator_1 is
  port (
    clk   : in  std_logic;
    srst  : in  std_logic;
    din   : in  std_logic_vector(17 downto 0);
    wr_en : in  std_logic;
    rd_en : in  std_logic;
    dout  : out std_logic_vector(17 downto 0);
    full  : out std_logic;
    empty : out std_logic
  );
end entity fifo_generator_1;

architecture behavioural of fifo_generator_1 is
begin
  fifo : entity work.ncx_sync_fifo
    generic map (WIDTH => 18, DEPTH => 1024, FWFT => false)
    port map (clk => clk, srst => srst, din => din, wr_en => wr_en, rd_en => rd_en, dout => dout,
              full => full, almost_full => open, empty => empty, almost_empty => open);
end architecture behavioural;
